/**
 * Serializers for key pairs, shared by `--json` and (later) the REST API: Nova's os-keypairs
 * object (list items wrapped in `{keypair: …}`, as Nova does), with `private_key` only in the
 * answer to a create that generated one.
 */
import type { KeyPair } from '../model/images';

export interface KeypairView {
  name: string;
  public_key: string;
  fingerprint: string;
  type: 'ssh' | 'x509';
  user_id: string;
  created_at: string;
  private_key?: string;
}

export function keypairView(k: KeyPair, privateKey?: string | null): KeypairView {
  const v: KeypairView = {
    name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, type: k.type, user_id: k.userId, created_at: k.createdAt,
  };
  if (privateKey) v.private_key = privateKey;
  return v;
}

export function keypairListView(list: KeyPair[]): { keypairs: Array<{ keypair: KeypairView }> } {
  return { keypairs: list.map((k) => ({ keypair: keypairView(k) })) };
}
