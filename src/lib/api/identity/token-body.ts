/**
 * What a Keystone v3 token response holds (the fields openstack, nova and tempest read): user,
 * project, roles, times in `%Y-%m-%dT%H:%M:%S.%fZ` and a catalog of compute, identity and image
 * with public, internal and admin endpoints in RegionOne (both `region` and `region_id`).
 */
import { createHash } from 'node:crypto';
import type { TokenGrant } from '../../services/identity';
import { roleView } from '../../views/identity';

const DOMAIN = { id: 'default', name: 'Default' };
const REGION = 'RegionOne';

/** Keystone's time format: microseconds and a literal Z (tempest refuses `+00:00`). */
export function keystoneTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const stableId = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export function catalog(base: string): Record<string, unknown>[] {
  const services = [
    { type: 'compute', name: 'nova', url: `${base}/v2.1` },
    { type: 'identity', name: 'keystone', url: `${base}/identity/v3` },
    { type: 'image', name: 'glance', url: `${base}/image` },
  ];
  return services.map((s) => ({
    type: s.type, name: s.name, id: stableId(`service:${s.type}`),
    endpoints: ['public', 'internal', 'admin'].map((i) => ({ id: stableId(`endpoint:${s.type}:${i}`), interface: i, region_id: REGION, region: REGION, url: s.url })),
  }));
}

export function tokenBody(g: TokenGrant & { auditIds: string[] }, base: string, withCatalog = true): { token: Record<string, unknown> } {
  return {
    token: {
      methods: g.payload.methods,
      expires_at: keystoneTime(g.payload.expiresAt),
      issued_at: keystoneTime(g.payload.issuedAt),
      audit_ids: g.auditIds,
      is_domain: false,
      user: { id: g.user.id, name: g.user.name, domain: DOMAIN, password_expires_at: null },
      project: { id: g.project.id, name: g.project.name, domain: DOMAIN },
      roles: g.payload.roles.map(roleView),
      ...(withCatalog ? { catalog: catalog(base) } : {}),
    },
  };
}
