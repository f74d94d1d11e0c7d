/** Server metadata, tags, ips, os-instance-actions, diagnostics, remote consoles. */
import type { RouteModule } from '../types';

export const serverSubresourceRoutes: RouteModule = () => [];
