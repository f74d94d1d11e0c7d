/** os-services (+ enable/disable/force-down, delete). */
import type { RouteModule } from '../types';

export const serviceRoutes: RouteModule = () => [];
