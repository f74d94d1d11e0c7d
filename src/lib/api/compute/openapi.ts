/** GET /openapi.json (served at the root as well). */
import type { RouteModule } from '../types';

export const openapiRoutes: RouteModule = () => [];
