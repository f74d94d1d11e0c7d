/**
 * The Image v2 subset under /image: the versions document, and images listed (newest first,
 * Glance's filters and limit/marker paging with a `next` link), shown, created (queued), given
 * their data, downloaded, patched and deleted. A project sees public and community images and
 * its own; others' are 404. Creating, uploading, changing and deleting are for the owner (or an
 * admin), and only admins publicize. No microversions here: Glance has none.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { ForbiddenError, InvalidInputError, isNovaliteError, NotFoundError } from '../../errors';
import type { Image } from '../../model/images';
import type { ImageCreate } from '../../services/images';
import { imageView } from '../../views/images';
import type { ApiDeps, RouteDef, RouteModule } from '../types';
import { planPatch, type PatchOp } from './image-patch';
import { CREATE_BODY, imageVersions, PATCH_BODY, READ_ONLY } from './image-schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CORE = ['id', 'name', 'visibility', 'disk_format', 'container_format', 'min_disk', 'min_ram', 'protected', 'os_hidden', 'owner', 'tags'];
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;

/** The image `id` as the caller may see it: ids only (a name is a 404, so clients fall back to ?name=). */
async function visible(deps: ApiDeps, req: FastifyRequest): Promise<Image> {
  const { id } = req.params as { id: string };
  const missing = () => new NotFoundError('Image', id, { hint: 'No image with this id is visible to your project.' });
  if (!UUID.test(id)) throw missing();
  try {
    const img = await deps.ctx.images.get(id.toLowerCase(), req.caller.isAdmin ? undefined : req.caller.projectId);
    if (img.id !== id.toLowerCase()) throw missing();
    return img;
  } catch (e) {
    if (isNovaliteError(e) && (e.category === 'not_found' || e.code === 'IMAGE_AMBIGUOUS')) throw missing();
    throw e;
  }
}

/** A visible image the caller may change under `rule` (its owner's project, or an admin). */
async function owned(deps: ApiDeps, req: FastifyRequest, rule: string): Promise<Image> {
  const img = await visible(deps, req);
  deps.policy.enforce(rule, req.caller, { projectId: img.owner ?? '' });
  return img;
}

async function list(deps: ApiDeps, req: FastifyRequest): Promise<Record<string, unknown>> {
  const q = (req.query ?? {}) as Record<string, string | undefined>;
  const vis = q.visibility;
  if (vis !== undefined && !['public', 'private', 'shared', 'community', 'all'].includes(vis)) throw new InvalidInputError(`Invalid visibility value: ${vis.slice(0, 40)}.`);
  const raw = q.limit ?? String(DEFAULT_LIMIT);
  if (!/^\d+$/.test(raw)) throw new InvalidInputError('limit param must be an integer.');
  const limit = Math.min(Number(raw), MAX_LIMIT);
  let rows = await deps.ctx.images.list({ projectId: req.caller.isAdmin ? undefined : req.caller.projectId, name: q.name });
  rows = rows.filter((i) => (vis === undefined ? i.visibility !== 'community' : vis === 'all' || i.visibility === vis)
    && (q.owner === undefined || i.owner === q.owner) && (q.status === undefined || i.status === q.status));
  rows.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
  if (q.marker !== undefined) {
    const at = rows.findIndex((i) => i.id === q.marker);
    if (at < 0) throw new InvalidInputError(`Invalid marker. Image ${q.marker.slice(0, 40)} could not be found.`);
    rows = rows.slice(at + 1);
  }
  const page = rows.slice(0, limit);
  const out: Record<string, unknown> = { images: page.map(imageView), first: '/v2/images', schema: '/v2/schemas/images' };
  if (limit > 0 && page.length === limit) {
    const params = new URLSearchParams(Object.entries(q).filter(([k, v]) => k !== 'marker' && v !== undefined) as Array<[string, string]>);
    params.set('marker', page[page.length - 1].id);
    out.next = `/v2/images?${params.toString()}`;
  }
  return out;
}

async function create(deps: ApiDeps, req: FastifyRequest): Promise<Record<string, unknown>> {
  const b = req.body as Record<string, unknown>;
  const ro = Object.keys(b).find((k) => READ_ONLY.includes(k));
  if (ro) throw new ForbiddenError(`Attribute '${ro}' is read-only.`);
  const owner = b.owner === undefined ? req.caller.projectId : (b.owner as string | null);
  if (owner !== req.caller.projectId && !req.caller.isAdmin) throw new ForbiddenError('You are not permitted to create images owned by another project.');
  if (b.visibility === 'public') deps.policy.enforce('publicize_image', req.caller, {});
  const properties = Object.fromEntries(Object.entries(b).filter(([k]) => !CORE.includes(k))) as Record<string, string>;
  const c: ImageCreate = {
    name: b.name as string, owner, id: b.id as string | undefined, diskFormat: (b.disk_format as string | null) ?? undefined,
    containerFormat: (b.container_format as string | null) ?? undefined, minDisk: b.min_disk as number | undefined, minRam: b.min_ram as number | undefined,
    visibility: (b.visibility as ImageCreate['visibility']) ?? 'shared', protected: b.protected as boolean | undefined, tags: b.tags as string[] | undefined, properties,
  };
  return imageView(await deps.ctx.images.create(c));
}

async function download(deps: ApiDeps, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const img = await visible(deps, req);
  if (img.status !== 'active' || !img.path) { reply.code(204).send(); return undefined; }
  const d = await deps.ctx.images.download(img.id, req.caller.isAdmin ? undefined : req.caller.projectId);
  reply.header('Content-Type', 'application/octet-stream').header('Content-Length', String(d.size));
  if (d.image.checksum) reply.header('Content-MD5', d.image.checksum);
  return d.stream;
}

async function upload(deps: ApiDeps, req: FastifyRequest): Promise<undefined> {
  const img = await owned(deps, req, 'upload_image');
  const body = req.body as Readable | undefined;
  if (!String(req.headers['content-type'] ?? '').startsWith('application/octet-stream') || !body || typeof (body as Readable).pipe !== 'function') {
    throw Object.assign(new Error('Image data must be sent as application/octet-stream.'), { statusCode: 415 });
  }
  await deps.ctx.images.uploadData(img.id, body);
  return undefined;
}

async function patch(deps: ApiDeps, req: FastifyRequest): Promise<Record<string, unknown>> {
  const img = await owned(deps, req, 'modify_image');
  const plan = planPatch(img, req.body as PatchOp[], req.caller.isAdmin);
  if (Object.keys(plan.update).length) await deps.ctx.images.update(img.id, plan.update);
  if (plan.unsetProperties.length || plan.unsetTags.length) await deps.ctx.images.unset(img.id, { properties: plan.unsetProperties, tags: plan.unsetTags });
  return imageView(await deps.ctx.images.get(img.id));
}

async function remove(deps: ApiDeps, req: FastifyRequest): Promise<undefined> {
  const img = await owned(deps, req, 'delete_image');
  if (img.protected) throw new ForbiddenError(`Image ${img.id} is protected and cannot be deleted.`);
  await deps.ctx.images.delete(img.id);
  return undefined;
}

export const imageRoutes: RouteModule = (deps): RouteDef[] => {
  const versions = async (req: FastifyRequest) => imageVersions(deps.baseUrl(req));
  return [
    { method: 'GET', url: '/', policy: null, status: 300, summary: 'The Image API versions (Glance answers 300 Multiple Choices).', handler: versions },
    { method: 'GET', url: '/versions', policy: null, summary: 'The Image API versions.', handler: versions },
    { method: 'GET', url: '/v2', policy: null, summary: 'The Image API versions (at the v2 root).', handler: versions },
    { method: 'GET', url: '/v2/images', policy: 'get_images', summary: 'List the images the project may see (?name, visibility, owner, status, limit, marker).', handler: (req) => list(deps, req) },
    { method: 'POST', url: '/v2/images', policy: 'add_image', status: 201, body: CREATE_BODY, summary: 'Create a queued image record (its data comes with PUT .../file).', handler: (req) => create(deps, req) },
    { method: 'GET', url: '/v2/images/:id', policy: 'get_image', summary: 'Show an image by id.', handler: (req) => visible(deps, req).then(imageView) },
    { method: 'PATCH', url: '/v2/images/:id', policy: 'modify_image', body: PATCH_BODY, summary: 'Change an image with a JSON Patch (application/openstack-images-v2.1-json-patch).', handler: (req) => patch(deps, req) },
    { method: 'DELETE', url: '/v2/images/:id', policy: 'delete_image', status: 204, summary: 'Delete an image and its data.', handler: (req) => remove(deps, req) },
    { method: 'PUT', url: '/v2/images/:id/file', policy: 'upload_image', status: 204, summary: 'Upload the data of a queued image (application/octet-stream).', handler: (req) => upload(deps, req) },
    { method: 'GET', url: '/v2/images/:id/file', policy: 'download_image', summary: 'Download the data of an image (204 when it has none yet).', handler: (req, reply) => download(deps, req, reply) },
  ];
};
imageRoutes.rules = {
  get_images: 'rule:admin_or_reader',
  get_image: 'rule:admin_or_reader',
  download_image: 'rule:admin_or_reader',
  add_image: 'rule:admin_or_member',
  modify_image: 'rule:admin_or_member',
  upload_image: 'rule:admin_or_member',
  delete_image: 'rule:admin_or_member',
  publicize_image: 'rule:admin_api',
};
