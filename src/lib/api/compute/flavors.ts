/** Flavors, os-extra_specs, os-flavor-access. */
import type { RouteModule } from '../types';

export const flavorRoutes: RouteModule = () => [];
