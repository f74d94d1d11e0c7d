/** os-quota-sets and os-quota-class-sets. */
import type { RouteModule } from '../types';

export const quotaRoutes: RouteModule = () => [];
