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
import { canonicalArch, canonicalHvType, canonicalVmMode, supportsAll } from './canonical';

export const ImagePropertiesFilter = defineFilter({
  name: 'ImagePropertiesFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const props = spec.image?.properties ?? {};
    const wanted = [
      canonicalArch(props.hw_architecture ?? ctx.config.imagePropertiesDefaultArchitecture),
      canonicalHvType(props.img_hv_type),
      canonicalVmMode(props.hw_vm_mode),
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
