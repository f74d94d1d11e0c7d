/**
 * `<novalite:instance>` inside `<metadata>`: who owns a domain and what it was built from, so an
 * operator on the host (virsh dumpxml) or a later audit can tell without our database. libvirt
 * keeps one element per namespace and hands it back unchanged.
 */
import { ConfigInit, el, XmlNode, xmlText } from '../xml';

export const NOVALITE_XMLNS = 'http://novalite.dev/xmlns/libvirt/instance/1';
const P = 'novalite:';

export interface FlavorInfo { name: string; vcpus: number; memoryMb: number; rootGb: number; ephemeralGb: number; swapMb: number }

export class InstanceMetadataConfig {
  serverName = '';
  projectId = '';
  userId: string | null = null;
  flavor: FlavorInfo = { name: '', vcpus: 0, memoryMb: 0, rootGb: 0, ephemeralGb: 0, swapMb: 0 };
  imageId: string | null = null;
  /** ISO 8601. */
  createdAt = '';

  constructor(init: ConfigInit<InstanceMetadataConfig> = {}) {
    Object.assign(this, init);
  }

  toXml(): XmlNode {
    // Everything here is user-chosen text: characters XML 1.0 cannot carry are dropped.
    const t = (s: string): string => xmlText(s);
    const f = this.flavor;
    const text = (name: string, value: string | number) => el(P + name, {}, [], typeof value === 'string' ? t(value) : value);
    return el(`${P}instance`, { 'xmlns:novalite': NOVALITE_XMLNS }, [
      text('name', this.serverName),
      text('created-at', this.createdAt),
      el(`${P}flavor`, { name: t(f.name) }, [
        text('vcpus', f.vcpus), text('memory-mb', f.memoryMb), text('root-gb', f.rootGb),
        text('ephemeral-gb', f.ephemeralGb), text('swap-mb', f.swapMb),
      ]),
      el(`${P}owner`, {}, [
        el(`${P}project`, { id: t(this.projectId) }),
        this.userId !== null && el(`${P}user`, { id: t(this.userId) }),
      ]),
      this.imageId !== null && el(`${P}image`, { id: t(this.imageId) }),
    ]);
  }
}
