/**
 * The read-only corners of Keystone v3 that clients look at after authenticating: a user,
 * the projects a user may scope to, projects and roles. Users and roles are managed with the
 * CLI (`novalite user …`, `novalite role …`), not over HTTP.
 */
import type { FastifyRequest } from 'fastify';
import type { Project } from '../../model/images';
import { ROLES } from '../../model/identity';
import { NotFoundError } from '../../errors';
import { roleView, userView } from '../../views/identity';
import type { ApiDeps, RouteDef } from '../types';
import { keystoneErrors } from './errors';

export function userRoutes(deps: ApiDeps): RouteDef[] {
  const { ctx } = deps;
  const v3 = (req: FastifyRequest) => `${deps.baseUrl(req)}/identity/v3`;
  const projectOut = (req: FastifyRequest, p: Project) => ({
    id: p.id, name: p.name, domain_id: 'default', description: p.description ?? '', enabled: p.enabled, is_domain: false, parent_id: 'default',
    tags: [], options: {}, links: { self: `${v3(req)}/projects/${p.id}` },
  });
  const list = (req: FastifyRequest) => ({ self: `${v3(req)}${req.url.replace(/^\/identity\/v3/, '').split('?')[0]}`, previous: null, next: null });
  const id = (req: FastifyRequest) => (req.params as { id: string }).id;
  const wrap = (h: RouteDef['handler']) => keystoneErrors(deps.baseUrl, h);

  return [
    {
      method: 'GET', url: '/v3/users', policy: 'identity:list_users', summary: 'List users (?name): every user for an admin, yourself otherwise.',
      handler: wrap(async (req) => {
        const name = (req.query as { name?: string }).name;
        const all = (await ctx.identity.listUsers()).filter((u) => (req.caller.isAdmin || u.id === req.caller.userId) && (name === undefined || u.name === name));
        return { users: all.map((u) => ({ ...userView(u), links: { self: `${v3(req)}/users/${u.id}` } })), links: list(req) };
      }),
    },
    {
      method: 'GET', url: '/v3/users/:id', policy: 'identity:get_user', summary: 'Show a user (yourself, or anyone for an admin).',
      handler: wrap(async (req) => {
        deps.policy.enforce('identity:get_user', req.caller, { userId: id(req) });
        const u = await ctx.identity.getUser(id(req));
        if (u.id !== id(req)) throw new NotFoundError('User', id(req));
        return { user: { ...userView(u), links: { self: `${v3(req)}/users/${u.id}` } } };
      }),
    },
    {
      method: 'GET', url: '/v3/users/:id/projects', policy: 'identity:list_user_projects', summary: 'List the projects a user holds a role on.',
      handler: wrap(async (req) => {
        deps.policy.enforce('identity:list_user_projects', req.caller, { userId: id(req) });
        const u = await ctx.identity.getUser(id(req));
        if (u.id !== id(req)) throw new NotFoundError('User', id(req));
        return { projects: (await ctx.identity.projectsOf(u.id)).map((p) => projectOut(req, p)), links: list(req) };
      }),
    },
    {
      method: 'GET', url: '/v3/auth/projects', policy: 'identity:get_auth_projects', summary: 'List the projects the caller may scope a token to.',
      handler: wrap(async (req) => ({ projects: (await ctx.identity.projectsOf(req.caller.userId)).map((p) => projectOut(req, p)), links: list(req) })),
    },
    {
      method: 'GET', url: '/v3/projects', policy: 'identity:list_projects', summary: 'List projects: every project for an admin, your own otherwise.',
      handler: wrap(async (req) => {
        const all = req.caller.isAdmin ? await ctx.projects.list() : await ctx.identity.projectsOf(req.caller.userId);
        const name = (req.query as { name?: string }).name;
        return { projects: all.filter((p) => name === undefined || p.name === name).map((p) => projectOut(req, p)), links: list(req) };
      }),
    },
    {
      method: 'GET', url: '/v3/projects/:id', policy: 'identity:get_project', summary: 'Show a project (the one your token is scoped to, or any for an admin).',
      handler: wrap(async (req) => {
        deps.policy.enforce('identity:get_project', req.caller, { projectId: id(req) });
        const p = await ctx.projects.get(id(req));
        if (p.id !== id(req)) throw new NotFoundError('Project', id(req));
        return { project: projectOut(req, p) };
      }),
    },
    {
      method: 'GET', url: '/v3/roles', policy: 'identity:list_roles', summary: 'List the roles (admin, member, reader).',
      handler: wrap(async (req) => ({
        roles: ROLES.map((r) => ({ ...roleView(r), domain_id: null, description: null, options: {}, links: { self: `${v3(req)}/roles/${roleView(r).id}` } })),
        links: list(req),
      })),
    },
  ];
}

export const USER_RULES: Record<string, string> = {
  'identity:list_users': '@',
  'identity:get_user': 'rule:admin_api or user_id:%(user_id)s',
  'identity:list_user_projects': 'rule:admin_api or user_id:%(user_id)s',
  'identity:get_auth_projects': '@',
  'identity:list_projects': '@',
  'identity:get_project': 'rule:admin_api or project_id:%(project_id)s',
  'identity:list_roles': '@',
};
