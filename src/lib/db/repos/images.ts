/** Placeholder: being written (images, key pairs and projects). */
import type { Knex } from 'knex';

export class ImageRepo {
  constructor(readonly k: Knex) {}
}
