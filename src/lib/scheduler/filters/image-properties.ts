/**
 * ImagePropertiesFilter: an image that asks for an architecture (hw_architecture, else the
 * configured default), a hypervisor type (img_hv_type) or a VM mode (hw_vm_mode) only goes to a
 * host advertising a supported-instance triple containing all of them; then, if it asks for a
 * hypervisor version range (img_hv_requested_version) or physical address bits
 * (hw_maxphysaddr_bits), the host must satisfy those too. Names are canonicalised as Nova does.
 */
import type { HostState } from '../types';
import { compileVersionPredicate, versionFromInt } from '../versions';
import { cachedPredicate, defineFilter } from './base';

const ARCH_ALIASES: Record<string, string> = { i386: 'i686', i486: 'i686', i586: 'i686', x86_32: 'i686', x86_32p: 'i686', amd64: 'x86_64' };
const HV_ALIASES: Record<string, string> = { xapi: 'xen' };
const MODE_ALIASES: Record<string, string> = { pv: 'xen', hv: 'hvm', baremetal: 'hvm' };

function canon(v: string | string[] | undefined, aliases: Record<string, string>): string | null {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return null;
  const lower = s.toLowerCase();
  return aliases[lower] ?? lower;
}

/** Loops rather than some/every: this runs per host and must not allocate closures. */
function supportsAll(supp: Array<[string, string, string]>, wanted: string[]): boolean {
  for (const t of supp) {
    let ok = true;
    for (const w of wanted) if (t[0] !== w && t[1] !== w && t[2] !== w) ok = false;
    if (ok) return true;
  }
  return false;
}

export const ImagePropertiesFilter = defineFilter({
  name: 'ImagePropertiesFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const props = spec.image?.properties ?? {};
    const wanted = [
      canon(props.hw_architecture ?? ctx.config.imagePropertiesDefaultArchitecture, ARCH_ALIASES),
      canon(props.img_hv_type, HV_ALIASES),
      canon(props.hw_vm_mode, MODE_ALIASES),
    ].filter((x): x is string => x !== null);
    if (wanted.length === 0) return null;
    const versionText = String(props.img_hv_requested_version ?? '');
    const version = versionText ? compileVersionPredicate(versionText) : undefined;
    const bits = Number(props.hw_maxphysaddr_bits ?? 0);
    const why = (h: HostState): string | null => {
      const supp = h.capabilities.supportedInstances ?? [];
      if (supp.length === 0) return `advertises no supported instance types, image wants ${wanted.join('/')}`;
      if (!supportsAll(supp, wanted)) {
        return `supports ${supp.map((t) => t.join('/')).join(', ')}, image wants ${wanted.join('/')}`;
      }
      const hv = h.capabilities.hypervisorVersion;
      if (version === null) return `image's img_hv_requested_version "${versionText}" is not a version predicate`;
      if (version && hv && !version(versionFromInt(hv))) {
        return `hypervisor version ${versionFromInt(hv).join('.')} does not satisfy "${versionText}"`;
      }
      const hostBits = h.capabilities.maxPhysAddrBits;
      if (bits && hostBits && hostBits < bits) return `has ${hostBits} physical address bits, image wants ${bits}`;
      return null;
    };
    const hosts = ctx.pool.hosts;
    const signature = `image\0${wanted.join('/')}\0${versionText}\0${bits}`;
    return { ...cachedPredicate(ctx.pool, signature, (i) => why(hosts[i]) === null), reason: (h) => why(h) ?? 'passes' };
  },
});
