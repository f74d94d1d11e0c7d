/**
 * The two migration trees, listed explicitly (no directory scanning, so the compiled CLI and
 * the tests see the same list). Append new migrations; never edit or reorder released ones.
 */
import type { Migration } from './helpers';
import { migration as api001 } from './api/001-initial';
import { migration as api002 } from './api/002-servers';
import { migration as api003 } from './api/003-identity';
import { migration as cell001 } from './cell/001-initial';
import { migration as cell002 } from './cell/002-scheduling';
import { migration as cell003 } from './cell/003-host-contact';

export type Tree = 'api' | 'cell';

export const MIGRATIONS: Record<Tree, Migration[]> = {
  api: [api001, api002, api003],
  cell: [cell001, cell002, cell003],
};
