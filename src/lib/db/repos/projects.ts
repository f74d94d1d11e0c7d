/** Placeholder: being written (images, key pairs and projects). */
import type { Knex } from 'knex';

export class ProjectRepo {
  constructor(readonly k: Knex) {}
}
