/** `<rng>`: a virtio entropy source, so guests (cloud-init, sshd key generation) do not stall at boot. */
import { ConfigInit, el, XmlNode } from '../xml';

export class RngConfig {
  model = 'virtio' as const;
  /** urandom never blocks the host; /dev/random could starve it under many guests. */
  backend = '/dev/urandom';

  constructor(init: ConfigInit<RngConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    return el('rng', { model: this.model }, [el('backend', { model: 'random' }, [], this.backend)]);
  }
}
