/** `<interface>`: a NIC on a libvirt network or a host bridge. */
import { ConfigInit, el, XmlNode } from '../xml';

export class InterfaceConfig {
  type: 'network' | 'bridge' = 'network';
  /** The libvirt network name (type network) or host bridge device (type bridge). */
  source = 'default';
  mac = '';
  model = 'virtio';
  /** The host-side tap name; null lets libvirt name it (vnetN). */
  targetDev: string | null = null;

  constructor(init: ConfigInit<InterfaceConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    return el('interface', { type: this.type }, [
      el('mac', { address: this.mac }),
      el('source', { [this.type]: this.source }),
      this.targetDev !== null && el('target', { dev: this.targetDev }),
      el('model', { type: this.model }),
    ]);
  }
}
