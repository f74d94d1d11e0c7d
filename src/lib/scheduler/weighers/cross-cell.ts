/**
 * CrossCellWeigher: during a move that may cross cells, prefers hosts in the requested (source)
 * cell: +1 in it, -1 elsewhere, with a large default multiplier (1,000,000). Otherwise it has
 * nothing to say and is skipped.
 */
import type { HostWeigher } from './base';

export const CrossCellWeigher: HostWeigher = {
  name: 'CrossCellWeigher',
  multiplierName: 'cross_cell_move_weight_multiplier',
  multiplier: (c) => c.crossCellMoveWeightMultiplier,
  prepare(spec) {
    const dest = spec.requestedDestination;
    const cell = dest?.cellUuid;
    if (!cell || !dest?.allowCrossCellMove) return null;
    return { raw: (h) => (h.cellUuid === cell ? 1 : -1) };
  },
};
