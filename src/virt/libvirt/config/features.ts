/** `<features>`: platform features; without ACPI a guest cannot be shut down or rebooted cleanly. */
import { ConfigInit, el, XmlNode } from '../xml';

export class FeaturesConfig {
  acpi = true;
  apic = true;

  constructor(init: ConfigInit<FeaturesConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    return el('features', {}, [this.acpi && el('acpi'), this.apic && el('apic')]);
  }
}
