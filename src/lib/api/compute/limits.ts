/** limits. */
import type { RouteModule } from '../types';

export const limitRoutes: RouteModule = () => [];
