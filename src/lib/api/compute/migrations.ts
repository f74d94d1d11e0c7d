/** os-migrations. */
import type { RouteModule } from '../types';

export const migrationRoutes: RouteModule = () => [];
