/** os-hypervisors (+ detail, statistics, uptime). */
import type { RouteModule } from '../types';

export const hypervisorRoutes: RouteModule = () => [];
