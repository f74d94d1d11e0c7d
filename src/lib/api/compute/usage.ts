/** os-simple-tenant-usage. */
import type { RouteModule } from '../types';

export const usageRoutes: RouteModule = () => [];
