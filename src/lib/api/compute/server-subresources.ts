/** Server metadata, tags, ips, os-instance-actions, diagnostics, remote consoles. */
import type { RouteModule } from '../types';
import { INFO_RULES, infoRoutes } from './server-info';
import { INSTANCE_ACTION_RULES, instanceActionRoutes } from './server-instance-actions';
import { METADATA_RULES, metadataRoutes } from './server-metadata';
import { TAG_RULES, tagRoutes } from './server-tags';

export const serverSubresourceRoutes: RouteModule = (deps) => [
  ...metadataRoutes(deps), ...tagRoutes(deps), ...infoRoutes(deps), ...instanceActionRoutes(deps),
];

serverSubresourceRoutes.rules = { ...METADATA_RULES, ...TAG_RULES, ...INFO_RULES, ...INSTANCE_ACTION_RULES };
