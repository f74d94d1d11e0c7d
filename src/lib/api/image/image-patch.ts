/**
 * PATCH /v2/images/{id} (application/openstack-images-v2.1-json-patch): add, replace and remove
 * of the name, sizes, visibility, protection, tags and free-form properties, applied through the
 * images service. Read-only attributes answer 403, as Glance's.
 */
import { ForbiddenError, InvalidInputError, NotSupportedError } from '../../errors';
import type { Image } from '../../model/images';
import type { ImageUpdate } from '../../services/images';
import { READ_ONLY } from './image-schemas';

export interface PatchOp { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown }

export interface PatchPlan { update: ImageUpdate; unsetProperties: string[]; unsetTags: string[] }

const CORE = ['name', 'min_disk', 'min_ram', 'visibility', 'protected', 'tags'];
const FIXED = ['id', 'owner', 'disk_format', 'container_format', 'os_hidden'];

const decode = (path: string) => path.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');

function int(attr: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InvalidInputError(`${attr} must be a non-negative integer.`);
  return v;
}

/** What `ops` ask of `img`, checked; `isAdmin` may make an image public. */
export function planPatch(img: Image, ops: PatchOp[], isAdmin: boolean): PatchPlan {
  const plan: PatchPlan = { update: {}, unsetProperties: [], unsetTags: [] };
  for (const op of ops) {
    const attr = decode(op.path);
    if (READ_ONLY.includes(attr)) throw new ForbiddenError(`Attribute '${attr}' is read-only.`);
    if (FIXED.includes(attr)) throw new NotSupportedError(`Attribute '${attr}' cannot be changed here once the image exists.`);
    if (op.op === 'remove') {
      if (CORE.includes(attr) && attr !== 'tags') throw new ForbiddenError(`Attribute '${attr}' is reserved and cannot be removed.`);
      if (attr === 'tags') plan.unsetTags.push(...img.tags);
      else plan.unsetProperties.push(attr);
      continue;
    }
    if (!('value' in op)) throw new InvalidInputError(`Operation ${op.op} on ${op.path} needs a value.`);
    const v = op.value;
    switch (attr) {
      case 'name':
        if (typeof v !== 'string') throw new InvalidInputError('name must be a string.');
        plan.update.name = v; break;
      case 'min_disk': plan.update.minDisk = int(attr, v); break;
      case 'min_ram': plan.update.minRam = int(attr, v); break;
      case 'protected':
        if (typeof v !== 'boolean') throw new InvalidInputError('protected must be true or false.');
        plan.update.protected = v; break;
      case 'visibility':
        if (v === 'public' && !isAdmin) throw new ForbiddenError('You are not authorized to publicize images (policy publicize_image).');
        plan.update.visibility = v as ImageUpdate['visibility']; break;
      case 'tags':
        if (!Array.isArray(v) || v.some((t) => typeof t !== 'string')) throw new InvalidInputError('tags must be a list of strings.');
        plan.unsetTags.push(...img.tags.filter((t) => !v.includes(t)));
        plan.update.tags = v.filter((t) => !img.tags.includes(t as string)) as string[];
        break;
      default:
        if (typeof v !== 'string') throw new InvalidInputError(`Property ${attr} must be a string.`);
        plan.update.properties = { ...(plan.update.properties ?? {}), [attr]: v };
    }
  }
  return plan;
}
