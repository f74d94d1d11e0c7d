/**
 * What a fake guest prints on its serial console, so that `server console-log` shows something
 * that reads like a boot. The constant lines are string literals on purpose: every server's log
 * then holds pointers to the same strings, which keeps 100,000 simulated servers cheap.
 */
import type { FakeServer } from './state';

/** A console log keeps at most this many lines (the oldest go first), like a rotated console.log. */
export const CONSOLE_MAX_LINES = 1000;

const BOOT_HEAD = [
  '[    0.000000] Linux version 6.1.0 (novalite-fake) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC',
  '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0 root=/dev/vda1 ro console=tty0 console=ttyS0,115200n8',
  '[    0.000000] Hypervisor detected: KVM',
  '[    0.004000] DMI: OpenStack Foundation OpenStack Nova, BIOS 1.16.2-debian-1.16.2-1 04/01/2014',
];
const BOOT_MIDDLE = [
  '[    0.180000] virtio_blk virtio1: [vda] 20971520 512-byte logical blocks',
  '[    0.190000]  vda: vda1 vda14 vda15',
  '[    0.420000] EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.',
  '[    0.900000] systemd[1]: Detected virtualization kvm.',
];
const BOOT_TAIL = [
  '[  OK  ] Started cloud-init.service - Cloud-init: Network Stage.',
  '[  OK  ] Reached target multi-user.target - Multi-User System.',
];

/** The lines of one boot of `rec`; `mode` names a rescue boot. */
export function bootLines(rec: FakeServer, mode: 'normal' | 'rescue' = 'normal'): string[] {
  return [
    ...BOOT_HEAD,
    `[    0.010000] Memory: ${rec.flavor.memoryMb * 1024}K available`,
    `[    0.120000] smp: Brought up 1 node, ${rec.flavor.vcpus} CPUs`,
    ...BOOT_MIDDLE,
    `[    1.100000] systemd[1]: Hostname set to <${rec.hostname}>.`,
    ...BOOT_TAIL,
    mode === 'rescue' ? `NOVALITE-FAKE: ${rec.name} (${rec.uuid}) booted in rescue mode` : `NOVALITE-FAKE: ${rec.name} (${rec.uuid}) booted`,
  ];
}

export const SHUTDOWN_LINES = ['[  OK  ] Reached target shutdown.target - System Shutdown.', 'reboot: Power down'];
export const REBOOT_LINES = ['[  OK  ] Reached target reboot.target - System Reboot.', 'reboot: Restarting system'];
export const PANIC_LINES = ['[  123.456789] Kernel panic - not syncing: Fatal exception', '[  123.456790] ---[ end Kernel panic - not syncing: Fatal exception ]---'];

export function appendConsole(rec: FakeServer, lines: readonly string[]): void {
  for (const l of lines) rec.console.push(l);
  const extra = rec.console.length - CONSOLE_MAX_LINES;
  if (extra > 0) rec.console.splice(0, extra);
}
