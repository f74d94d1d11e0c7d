/** os-server-external-events. */
import type { RouteModule } from '../types';

export const externalEventRoutes: RouteModule = () => [];
