/**
 * Base images on a host: uploaded once per host into _base/ under a name derived from the
 * checksum, verified there (md5, as the image store records it) before they are renamed into
 * place, shared by every overlay on the host, and aged out when no instance lists them.
 */
import { randomBytes } from 'node:crypto';
import { HostError } from '../../lib/errors';
import type { ImageRef } from '../driver';
import type { HostPaths } from './paths';
import { HostCommandError, type Remote } from './remote';
import { sh, shq } from './ssh/quote';

/** The cache key of an image: its checksum when it has one, so equal bytes are stored once. */
export function baseKey(image: ImageRef): string {
  return image.checksum ? `${image.checksum}` : `id-${image.id}`;
}

export function basePath(paths: HostPaths, image: ImageRef): string {
  return paths.baseImage(baseKey(image));
}

/** Makes sure the host has the image in its cache; uploads and verifies it when missing. */
export async function ensureBase(remote: Remote, paths: HostPaths, image: ImageRef): Promise<string> {
  const target = basePath(paths, image);
  const have = await remote.try(`test -s ${shq(target)} && touch -c ${shq(target)}`);
  if (have.code === 0) return target;
  if (!image.path) {
    throw new HostError(`Image ${image.id} has no data in the image store, so it cannot be copied to host ${remote.host}.`, { code: 'IMAGE_DATA_MISSING', hint: 'Upload the image data (`novalite image create --file`).' });
  }
  const part = `${target}.part.${randomBytes(4).toString('hex')}`;
  await remote.run('mkdir', sh('mkdir', '-p', paths.base));
  try {
    await remote.transport.upload(image.path, part, { mode: 0o644 });
    if (image.checksum) {
      const sum = (await remote.run('md5sum', sh('md5sum', part))).trim().split(/\s+/)[0];
      if (sum !== image.checksum) {
        throw new HostError(`Image ${image.id} arrived on host ${remote.host} with checksum ${sum}, not ${image.checksum}.`, { code: 'IMAGE_CHECKSUM_MISMATCH', hint: 'The copy was corrupted in transit or the image store is damaged; retry, then check the store with `novalite image show`.' });
      }
    }
    await remote.run('mv', sh('mv', '-f', part, target));
  } catch (e) {
    await remote.try(sh('rm', '-f', part)).catch(() => undefined);
    if (e instanceof HostError) throw e;
    throw new HostError(`Copying image ${image.id} to host ${remote.host} failed: ${(e as Error).message}`, { code: 'IMAGE_UPLOAD_FAILED', cause: e });
  }
  return target;
}

/**
 * Removes cached bases that no instance directory lists in its `bases` file and that were not
 * used for `minAgeSeconds`, and half-uploaded parts (an upload cut off with its connection)
 * older than that or an hour, whichever is less. Returns what it removed.
 */
export async function pruneBases(remote: Remote, paths: HostPaths, minAgeSeconds: number): Promise<string[]> {
  const minutes = Math.max(0, Math.ceil(minAgeSeconds / 60));
  const partMinutes = Math.min(60, minutes);
  const script = [
    `cd ${shq(paths.base)} 2>/dev/null || exit 0`,
    'for f in *; do',
    '  [ -f "$f" ] || continue',
    `  case "$f" in *.part.*) if [ -n "$(find "./$f" -mmin +${partMinutes})" ]; then rm -f "./$f" && echo "$f"; fi; continue;; esac`,
    `  if grep -qsxF "$f" ${shq(paths.instances)}/*/bases; then continue; fi`,
    `  if [ -n "$(find "./$f" -mmin +${minutes})" ]; then rm -f "./$f" && echo "$f"; fi`,
    'done',
  ].join('\n');
  const r = await remote.try(script);
  if (r.code !== 0) throw new HostCommandError(remote.host, 'image cache cleanup', r);
  return r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}
