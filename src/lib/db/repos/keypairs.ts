/** API DB: key pairs (SSH public keys and x509 certificates), unique by name per user. */
import type { Knex } from 'knex';
import { KeyPair } from '../../model/images';

type Row = Record<string, any>;

const toKeyPair = (r: Row): KeyPair => ({
  id: Number(r.id), name: r.name, userId: r.user_id, projectId: r.project_id ?? null, fingerprint: r.fingerprint, publicKey: r.public_key,
  type: r.type === 'x509' ? 'x509' : 'ssh', createdAt: r.created_at,
});

export class KeyPairRepo {
  constructor(private readonly k: Knex) {}

  /** Every key pair of a user, or of every user when `userId` is undefined; by name. */
  async list(userId?: string): Promise<KeyPair[]> {
    const q = this.k('key_pairs').orderBy([{ column: 'user_id' }, { column: 'name' }]);
    if (userId !== undefined) q.where({ user_id: userId });
    return (await q).map(toKeyPair);
  }

  async find(name: string, userId: string): Promise<KeyPair | null> {
    const r = await this.k('key_pairs').where({ name, user_id: userId }).first();
    return r ? toKeyPair(r) : null;
  }

  async count(userId: string): Promise<number> {
    const [r] = await this.k('key_pairs').where({ user_id: userId }).count({ n: '*' });
    return Number(r.n);
  }

  async create(kp: Omit<KeyPair, 'createdAt'>, now: string): Promise<KeyPair> {
    await this.k('key_pairs').insert({
      name: kp.name, user_id: kp.userId, project_id: kp.projectId, fingerprint: kp.fingerprint, public_key: kp.publicKey,
      type: kp.type, created_at: now,
    });
    return (await this.find(kp.name, kp.userId))!;
  }

  async delete(name: string, userId: string): Promise<number> {
    return this.k('key_pairs').where({ name, user_id: userId }).delete();
  }
}
