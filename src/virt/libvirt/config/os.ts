/** `<os>`: how the guest starts — firmware booting a device, or a kernel handed to QEMU directly. */
import { ConfigInit, el, XmlNode } from '../xml';

export type BootDev = 'hd' | 'cdrom' | 'network' | 'fd';

export class OsConfig {
  type = 'hvm' as const;
  arch = 'x86_64';
  /** null lets libvirt pick the emulator's default machine. */
  machine: string | null = null;
  bootDevs: BootDev[] = ['hd'];
  kernel: string | null = null;
  initrd: string | null = null;
  cmdline: string | null = null;

  constructor(init: ConfigInit<OsConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    // With a kernel QEMU never consults the boot order, so <boot> would only mislead a reader.
    const boot = this.kernel
      ? [el('kernel', {}, [], this.kernel), this.initrd ? el('initrd', {}, [], this.initrd) : null,
        this.cmdline ? el('cmdline', {}, [], this.cmdline) : null]
      : this.bootDevs.map((dev) => el('boot', { dev }));
    return el('os', {}, [el('type', { arch: this.arch, machine: this.machine }, [], this.type), ...boot]);
  }
}
