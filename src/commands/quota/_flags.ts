/** The per-resource flags of `quota set`, named as openstack names them. */
import { Flags } from '@oclif/core';

export const RESOURCE_FLAGS = {
  instances: Flags.integer({ description: 'Servers (-1: unlimited).' }),
  cores: Flags.integer({ description: 'vCPUs.' }),
  ram: Flags.integer({ description: 'RAM in MB.' }),
  'key-pairs': Flags.integer({ description: 'Key pairs per user.' }),
  'server-groups': Flags.integer({ description: 'Server groups.' }),
  'server-group-members': Flags.integer({ description: 'Servers per server group.' }),
  'metadata-items': Flags.integer({ description: 'Metadata items per server.' }),
};

export function limitsFrom(flags: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(RESOURCE_FLAGS)) if (flags[k] !== undefined) out[k.replace(/-/g, '_')] = flags[k] as number;
  return out;
}
