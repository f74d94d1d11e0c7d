/** `<domain>`: the root element, holding identity, sizing, boot, platform and devices. */
import { ConfigInit, el, XmlNode, xmlText } from '../xml';
import { ClockConfig } from './clock';
import { CpuConfig } from './cpu';
import { FeaturesConfig } from './features';
import { OsConfig } from './os';

/** Anything that renders one element: devices, metadata entries. */
export interface ElementConfig { toXml(): XmlNode }

export type LifecycleAction = 'destroy' | 'restart' | 'preserve' | 'rename-restart';

export class DomainConfig {
  /** qemu = TCG emulation, kvm = hardware acceleration. */
  type: 'qemu' | 'kvm' = 'qemu';
  name = '';
  uuid = '';
  title: string | null = null;
  description: string | null = null;
  memoryKib = 0;
  vcpus = 1;
  /** Namespaced elements; libvirt keeps one per namespace. */
  metadata: ElementConfig[] = [];
  os = new OsConfig();
  features = new FeaturesConfig();
  /** null: let the hypervisor choose (the only sensible choice under TCG). */
  cpu: CpuConfig | null = null;
  clock = new ClockConfig();
  onPoweroff: LifecycleAction = 'destroy';
  onReboot: LifecycleAction = 'restart';
  onCrash: LifecycleAction = 'destroy';
  devices: ElementConfig[] = [];

  constructor(init: ConfigInit<DomainConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    const title = this.title === null ? '' : oneLine(xmlText(this.title));
    const description = this.description === null ? '' : xmlText(this.description);
    // Elements are in libvirt's own output order, so a dumpxml diff lines up.
    return el('domain', { type: this.type }, [
      el('name', {}, [], this.name),
      el('uuid', {}, [], this.uuid),
      title.trim() !== '' && el('title', {}, [], title),
      description.trim() !== '' && el('description', {}, [], description),
      this.metadata.length > 0 && el('metadata', {}, this.metadata.map((m) => m.toXml())),
      el('memory', { unit: 'KiB' }, [], this.memoryKib),
      el('vcpu', { placement: 'static' }, [], this.vcpus),
      this.os.toXml(),
      this.features.toXml(),
      this.cpu?.toXml(),
      this.clock.toXml(),
      el('on_poweroff', {}, [], this.onPoweroff),
      el('on_reboot', {}, [], this.onReboot),
      el('on_crash', {}, [], this.onCrash),
      el('devices', {}, this.devices.map((d) => d.toXml())),
    ]);
  }
}

/**
 * libvirt refuses a title with a line break (schema `[^\n]+`, and its parser checks again), so
 * breaks become spaces; whitespace-only titles are left out, as XML parsers drop such text.
 */
function oneLine(s: string): string {
  return s.replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, ' ');
}
