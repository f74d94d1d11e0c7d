/** `<console>`: points `virsh console` at the serial port (see SerialConfig) rather than a virtio console. */
import { ConfigInit, el, XmlNode } from '../xml';

export class ConsoleConfig {
  targetType: 'serial' | 'virtio' = 'serial';
  port = 0;

  constructor(init: ConfigInit<ConsoleConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    return el('console', { type: 'pty' }, [el('target', { type: this.targetType, port: this.port })]);
  }
}
