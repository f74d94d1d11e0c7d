/** os-server-groups. */
import type { RouteModule } from '../types';

export const serverGroupRoutes: RouteModule = () => [];
