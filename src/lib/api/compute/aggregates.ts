/** os-aggregates and their actions. */
import type { RouteModule } from '../types';

export const aggregateRoutes: RouteModule = () => [];
