/** The cells table shared by the cell-v2 commands. */
import { table } from '../_render';
import type { CellView } from '../../lib/views/cells';

export function cellsTable(cells: CellView[]): string {
  return table(cells, [
    { header: 'Name', get: (c) => c.name }, { header: 'UUID', get: (c) => c.uuid },
    { header: 'Database Connection', get: (c) => c.database_connection }, { header: 'Disabled', get: (c) => c.disabled },
  ]);
}
