/** AllHostsFilter: a no-op that lets every host through (useful to disable filtering). */
import { defineFilter } from './base';

export const AllHostsFilter = defineFilter({
  name: 'AllHostsFilter',
  runOncePerRequest: true,
  staticData: true,
  prepare: () => null,
});
