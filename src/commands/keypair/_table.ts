/** Human output and flags shared by the key pair commands. */
import { Flags } from '@oclif/core';
import { keyValues, table } from '../_render';
import type { KeypairView } from '../../lib/views/keypairs';

export const userFlag = Flags.string({ description: 'The user whose key pairs to act on (default: the CLI user, admin).' });

export function keypairsTable(list: KeypairView[]): string {
  return table(list, [{ header: 'Name', get: (k) => k.name }, { header: 'Fingerprint', get: (k) => k.fingerprint }, { header: 'Type', get: (k) => k.type }]);
}

export function keypairDetail(k: KeypairView): string {
  return keyValues({ name: k.name, fingerprint: k.fingerprint, type: k.type, user_id: k.user_id, created_at: k.created_at });
}
