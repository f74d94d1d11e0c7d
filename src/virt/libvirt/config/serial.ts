/**
 * `<serial>`: the guest's first serial port as a pty that QEMU also copies to a log file. The pty
 * keeps `virsh console` usable; the log is what `console log` reads over SSH. append='on'
 * because after a live migration the destination QEMU would otherwise truncate a shared log.
 */
import { ConfigInit, el, XmlNode } from '../xml';

export class SerialConfig {
  logFile = '';
  append = true;
  port = 0;

  constructor(init: ConfigInit<SerialConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    return el('serial', { type: 'pty' }, [
      el('log', { file: this.logFile, append: this.append ? 'on' : 'off' }),
      el('target', { port: this.port }),
    ]);
  }
}
