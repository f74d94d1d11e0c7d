/**
 * `<memballoon>`: written explicitly because libvirt adds a virtio balloon when it is absent;
 * `none` keeps guest memory fixed at the flavor's size (no overcommit by ballooning).
 */
import { ConfigInit, el, XmlNode } from '../xml';

export class MemballoonConfig {
  model: 'none' | 'virtio' = 'none';

  constructor(init: ConfigInit<MemballoonConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    return el('memballoon', { model: this.model });
  }
}
