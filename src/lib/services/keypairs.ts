/** Placeholder: being written. */
import type { Clock } from '../clock';
import type { Stores } from '../db/stores';

export class KeypairsService {
  constructor(readonly stores: Stores, readonly clock: Clock) {}
}
