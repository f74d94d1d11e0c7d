/**
 * What every REST handler gets: the request's microversion and caller (who, which project,
 * which roles), and the route definition shape the compute, identity and image modules use to
 * register routes, so validation per microversion, policy and the OpenAPI document are uniform.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context';
import type { Microversion } from './microversion';

export interface Caller {
  userId: string;
  userName: string;
  projectId: string;
  projectName: string;
  roles: string[];
  /** Holds the admin role (Nova's "system admin" in this single-domain world). */
  isAdmin: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    mv: Microversion;
    caller: Caller;
    requestId: string;
  }
}

/** A JSON Schema for a request body that applies to a microversion range (inclusive, open ends). */
export interface VersionedSchema { min?: string; max?: string; schema: Record<string, unknown> }

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';
  /** Path under the service prefix, fastify syntax: `/servers/:id`. */
  url: string;
  /** Policy rule to enforce (see policy.ts), or null for unauthenticated routes (version documents). */
  policy: string | null;
  summary: string;
  /** Request body schemas by microversion; a body is refused when none applies. */
  body?: VersionedSchema[];
  /** The route exists only in this microversion range (404 outside it, as Nova does). */
  minVersion?: string;
  maxVersion?: string;
  /** Success status (Nova's: 200, 201 for synchronous create, 202 for async work, 204 for no body). */
  status?: number | ((req: FastifyRequest) => number);
  handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** What route modules need from the server. */
export interface ApiDeps {
  ctx: Context;
  /** The externally visible base URL (`http://127.0.0.1:8774`), for links and the catalog. */
  baseUrl: (req: FastifyRequest) => string;
  policy: { enforce(rule: string, caller: Caller, target?: { projectId?: string | null; userId?: string | null }): void };
  /** Every route of the server with its service and full path (filled while mounting), for the OpenAPI document. */
  routes?: ReadonlyArray<RouteDef & { service: 'compute' | 'identity' | 'image'; path: string }>;
}

/** A resource family's routes, and the default policy rules it checks (name → expression). */
export type RouteModule = ((deps: ApiDeps) => RouteDef[]) & { rules?: Record<string, string> };
