/**
 * IsolatedHostsFilter: keeps isolated images on isolated hosts. With
 * restrict_isolated_hosts_to_isolated_images (default) the isolation works both ways: isolated
 * images only on isolated hosts and isolated hosts only for isolated images. Without it,
 * isolated hosts also take other images. With no isolated images configured, a restricted
 * isolated host takes nothing.
 */
import { cachedPredicate, defineFilter } from './base';

export const IsolatedHostsFilter = defineFilter({
  name: 'IsolatedHostsFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare(spec, ctx) {
    const hosts = new Set(ctx.config.isolatedHosts);
    const images = new Set(ctx.config.isolatedImages);
    const restrict = ctx.config.restrictIsolatedHostsToIsolatedImages;
    const imageIsolated = spec.image !== null && images.has(spec.image.id);
    if (images.size === 0 && (!restrict || hosts.size === 0)) return null;
    const passes = (hostIsolated: boolean) =>
      restrict ? imageIsolated === hostIsolated : !imageIsolated || hostIsolated;
    return {
      ...cachedPredicate(ctx.pool, `isolated\0${imageIsolated}\0${[...hosts].join(',')}\0${restrict}`, (i) => passes(hosts.has(ctx.pool.hosts[i].host))),
      reason: (h) =>
        hosts.has(h.host) ? 'is an isolated host, the image is not isolated' : 'is not an isolated host, the image is isolated',
    };
  },
});
