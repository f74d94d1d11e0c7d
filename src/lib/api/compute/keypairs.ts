/** os-keypairs. */
import type { RouteModule } from '../types';

export const keypairRoutes: RouteModule = () => [];
