/**
 * Serializers for flavors, shared by `--json` and (later) the REST API: the Compute API v2.1
 * flavor object (swap as a number, as from microversion 2.75; extra_specs as from 2.61) and the
 * os-flavor-access list.
 */
import type { Flavor } from '../model/compute';

export interface FlavorView {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  'OS-FLV-EXT-DATA:ephemeral': number;
  swap: number;
  rxtx_factor: number;
  'os-flavor-access:is_public': boolean;
  'OS-FLV-DISABLED:disabled': boolean;
  description: string | null;
  extra_specs: Record<string, string>;
}

export interface FlavorAccessView { flavor_id: string; tenant_id: string }

export function flavorView(f: Flavor): FlavorView {
  return {
    id: f.flavorid,
    name: f.name,
    ram: f.memoryMb,
    vcpus: f.vcpus,
    disk: f.rootGb,
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeralGb,
    swap: f.swapMb,
    rxtx_factor: f.rxtxFactor,
    'os-flavor-access:is_public': f.isPublic,
    'OS-FLV-DISABLED:disabled': f.disabled,
    description: f.description,
    extra_specs: { ...f.extraSpecs },
  };
}

/** The projects that may use a private flavor (empty for a public one). */
export function flavorAccessView(f: Flavor): FlavorAccessView[] {
  return f.isPublic ? [] : [...f.projects].sort().map((p) => ({ flavor_id: f.flavorid, tenant_id: p }));
}
