/** Image v2 subset: versions, images list/show/create/upload/download/delete. */
import type { RouteModule } from '../types';

export const imageRoutes: RouteModule = () => [];
