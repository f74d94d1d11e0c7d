// The libvirt lab itself (scripts/ci/libvirt-lab.sh): two hosts that answer over SSH, are
// told apart by name, keep separate /var/lib/novalite directories, and boot the guest fixture.
// If this suite fails, every other e2e failure is probably the lab's, not the driver's.
import { randomBytes, randomUUID } from 'node:crypto';
import { describeLab, fixtureDomainXml, labSsh, labWaitForText, type LabHostNumber } from '../helpers/lab';

const BOOT_TIMEOUT_MS = 90_000; // about 8 s under TCG; generous for a loaded CI machine

async function ok(host: LabHostNumber, command: string, input?: string): Promise<string> {
  // The libvirt suite stops host1's sshd for a few seconds (a host going away mid-spawn): wait it out.
  let r = await labSsh(host, command, { input });
  for (let i = 0; i < 60 && r.code === 255 && /Connection refused/.test(r.stderr); i++) {
    await new Promise((res) => setTimeout(res, 1000));
    r = await labSsh(host, command, { input });
  }
  if (r.code !== 0) throw new Error(`host${host}: \`${command}\` exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

describeLab('libvirt lab', (lab) => {
  const tag = randomBytes(4).toString('hex');

  test('both hosts answer virsh over ssh', async () => {
    for (const host of [1, 2] as const) {
      const out = await ok(host, 'virsh -c qemu:///system list --all');
      expect(out).toMatch(/Id\s+Name\s+State/);
    }
  }, 60_000);

  test('the hosts have different host names, host2 is "host2"', async () => {
    const [n1, n2] = await Promise.all([ok(1, 'hostname'), ok(2, 'hostname')]);
    expect(n2.trim()).toBe('host2');
    expect(n1.trim()).not.toBe(n2.trim());
    if (lab.hosts[1].hostname) expect(n1.trim()).toBe(lab.hosts[1].hostname);
  }, 60_000);

  test('/var/lib/novalite is not shared between the hosts', async () => {
    const f1 = `/var/lib/novalite/nl-lab-${tag}-from-host1`;
    const f2 = `/var/lib/novalite/nl-lab-${tag}-from-host2`;
    try {
      await ok(1, `echo host1 > ${f1}`);
      await ok(2, `echo host2 > ${f2}`);
      expect((await labSsh(2, `test -e ${f1}`)).code).toBe(1);
      expect((await labSsh(1, `test -e ${f2}`)).code).toBe(1);
      expect((await ok(1, `cat ${f1}`)).trim()).toBe('host1');
      expect((await ok(2, `cat ${f2}`)).trim()).toBe('host2');
    } finally {
      await labSsh(1, `rm -f ${f1}`);
      await labSsh(2, `rm -f ${f2}`);
    }
  }, 60_000);

  describe('a TCG guest on host2, booted from host2-only paths', () => {
    const name = `nl-labtest-${tag}`;
    // Kernel, initrd and console log live under host2's private /var/lib/novalite: the guest
    // only boots if host2's QEMU runs in host2's mount namespace.
    const dir = `/var/lib/novalite/nl-labtest-${tag}`;
    const log = `${dir}/console.log`;

    afterAll(async () => {
      await labSsh(2, `virsh destroy ${name} >/dev/null 2>&1; virsh undefine ${name} >/dev/null 2>&1; rm -rf ${dir}`);
    }, 60_000);

    test('defines, boots to READY, powers off on ACPI shutdown, and is removed', async () => {
      await ok(2, `mkdir -p ${dir} && cp ${lab.kernel} ${dir}/kernel && cp ${lab.initrd} ${dir}/ramdisk`);
      expect((await labSsh(1, `test -e ${dir}`)).code).toBe(1);

      const xml = fixtureDomainXml({ name, uuid: randomUUID(), serialLog: log, kernel: `${dir}/kernel`, initrd: `${dir}/ramdisk` });
      await ok(2, `cat > ${dir}/domain.xml && virsh define ${dir}/domain.xml`, xml);
      await ok(2, `virsh start ${name}`);
      const console = await labWaitForText(2, log, 'NOVALITE-GUEST: READY', BOOT_TIMEOUT_MS);
      expect(console).toContain('NOVALITE-GUEST: init started');
      expect(console).toMatch(/Linux version \S+-amd64/);

      // acpid in the fixture turns the power button into poweroff, so virsh shutdown works.
      await ok(2, `virsh shutdown ${name}`);
      await labWaitForText(2, log, 'NOVALITE-GUEST: power button: poweroff', 30_000);
      let state = '';
      for (let i = 0; i < 60 && state !== 'shut off'; i++) {
        state = (await ok(2, `virsh domstate ${name}`)).trim();
        if (state !== 'shut off') await new Promise((r) => setTimeout(r, 500));
      }
      expect(state).toBe('shut off');

      await ok(2, `virsh start ${name}`);
      await ok(2, `virsh destroy ${name}`);
      await ok(2, `virsh undefine ${name}`);
      const left = await ok(2, 'virsh list --all --name');
      expect(left.split('\n')).not.toContain(name);
      expect((await ok(1, 'virsh list --all --name')).split('\n')).not.toContain(name);
    }, BOOT_TIMEOUT_MS + 90_000);
  });
});
