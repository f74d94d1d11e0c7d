/** Placeholder: being written. */
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Stores } from '../db/stores';

export class ImagesService {
  constructor(readonly stores: Stores, readonly config: Config, readonly clock: Clock) {}
}
