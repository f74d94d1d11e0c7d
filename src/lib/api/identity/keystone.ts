/** Keystone v3 subset: version documents, auth/tokens. */
import type { RouteModule } from '../types';

export const identityRoutes: RouteModule = () => [];
