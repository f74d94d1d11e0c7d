/** os-availability-zone (+ detail). */
import type { RouteModule } from '../types';

export const availabilityZoneRoutes: RouteModule = () => [];
