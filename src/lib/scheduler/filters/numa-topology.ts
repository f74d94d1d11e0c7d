/**
 * NUMATopologyFilter: registered so the name is known, but novalite hosts do not report a NUMA
 * topology yet, so enabling it is refused at start-up rather than silently passing every host.
 */
import { NotSupportedError } from '../../errors';
import { defineFilter } from './base';

export const NUMATopologyFilter = defineFilter({
  name: 'NUMATopologyFilter',
  validate() {
    throw new NotSupportedError('NUMATopologyFilter is enabled, but novalite hosts do not report a NUMA topology.', {
      hint: 'Remove NUMATopologyFilter from [filter_scheduler] enabled_filters.',
    });
  },
  prepare: () => null,
});
