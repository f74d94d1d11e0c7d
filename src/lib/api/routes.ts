/** Every route module of the server, per service (each module owns one resource family). */
import type { RouteModule } from './types';
import { versionRoutes } from './compute/versions';
import { serverRoutes } from './compute/servers';
import { serverActionRoutes } from './compute/server-actions';
import { serverSubresourceRoutes } from './compute/server-subresources';
import { flavorRoutes } from './compute/flavors';
import { keypairRoutes } from './compute/keypairs';
import { serverGroupRoutes } from './compute/server-groups';
import { aggregateRoutes } from './compute/aggregates';
import { availabilityZoneRoutes } from './compute/availability-zones';
import { hypervisorRoutes } from './compute/hypervisors';
import { serviceRoutes } from './compute/services';
import { quotaRoutes } from './compute/quotas';
import { limitRoutes } from './compute/limits';
import { migrationRoutes } from './compute/migrations';
import { usageRoutes } from './compute/usage';
import { externalEventRoutes } from './compute/external-events';
import { openapiRoutes } from './compute/openapi';
import { identityRoutes } from './identity/keystone';
import { imageRoutes } from './image/images';

export const COMPUTE_ROUTES: RouteModule[] = [
  versionRoutes, serverRoutes, serverActionRoutes, serverSubresourceRoutes, flavorRoutes, keypairRoutes, serverGroupRoutes, aggregateRoutes, availabilityZoneRoutes, hypervisorRoutes, serviceRoutes, quotaRoutes, limitRoutes, migrationRoutes, usageRoutes, externalEventRoutes, openapiRoutes,
];
export const IDENTITY_ROUTES: RouteModule[] = [identityRoutes];
export const IMAGE_ROUTES: RouteModule[] = [imageRoutes];
