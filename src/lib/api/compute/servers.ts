/** Servers: list, detail, show, create, update, delete (with microversion-shaped views). */
import type { RouteModule } from '../types';

export const serverRoutes: RouteModule = () => [];
