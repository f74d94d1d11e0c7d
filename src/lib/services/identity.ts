/**
 * Users, role assignments and tokens for the embedded Keystone (placeholder: the identity
 * work fills this in). Tokens are signed, so every serve process sharing the API database
 * validates every other's.
 */
import type { Clock } from '../clock';
import type { Stores } from '../db/stores';
import { UnauthorizedError } from '../errors';

export interface CallerInfo {
  userId: string; userName: string; projectId: string; projectName: string; roles: string[]; isAdmin: boolean;
}

export class IdentityService {
  constructor(private readonly stores: Stores, private readonly clock: Clock) {}

  /** The caller a token stands for; 401 when it is missing, forged or expired. */
  async callerForToken(_token: string): Promise<CallerInfo> {
    void this.stores; void this.clock;
    throw new UnauthorizedError('The request you have made requires authentication.');
  }

  /** HTTP Basic: a user's name and password, scoped to their first project. */
  async basicCaller(_user: string, _password: string): Promise<CallerInfo> {
    throw new UnauthorizedError('Invalid user name or password.');
  }
}
