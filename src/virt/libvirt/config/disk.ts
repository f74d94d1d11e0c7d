/** `<disk>`: a file-backed disk or CD-ROM (root, ephemeral, swap, config drive). */
import { ConfigInit, el, XmlNode } from '../xml';

export type DiskBus = 'virtio' | 'sata' | 'ide' | 'scsi';
export type DiskCache = 'none' | 'writethrough' | 'writeback' | 'directsync' | 'unsafe';

export class DiskConfig {
  device: 'disk' | 'cdrom' = 'disk';
  driverType: 'qcow2' | 'raw' = 'qcow2';
  /** null keeps QEMU's default; `none` needs O_DIRECT, which tmpfs (e.g. /tmp) lacks. */
  cache: DiskCache | null = null;
  sourceFile = '';
  targetDev = 'vda';
  targetBus: DiskBus = 'virtio';
  readonly = false;
  /** The serial the guest sees (/dev/disk/by-id); libvirt allows [A-Za-z0-9_.+- ] only. */
  serial: string | null = null;

  constructor(init: ConfigInit<DiskConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    return el('disk', { type: 'file', device: this.device }, [
      el('driver', { name: 'qemu', type: this.driverType, cache: this.cache }),
      el('source', { file: this.sourceFile }),
      el('target', { dev: this.targetDev, bus: this.targetBus }),
      // A CD-ROM is read-only media whatever the caller says.
      (this.readonly || this.device === 'cdrom') && el('readonly'),
      this.serial !== null && el('serial', {}, [], this.serial),
    ]);
  }
}
