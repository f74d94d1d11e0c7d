/** POST /servers/{id}/action: every server action. */
import type { RouteModule } from '../types';

export const serverActionRoutes: RouteModule = () => [];
