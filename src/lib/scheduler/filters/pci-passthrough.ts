/**
 * PciPassthroughFilter: registered so the name is known, but novalite hosts do not report PCI
 * device pools yet, so enabling it is refused at start-up rather than silently passing
 * every host.
 */
import { NotSupportedError } from '../../errors';
import { defineFilter } from './base';

export const PciPassthroughFilter = defineFilter({
  name: 'PciPassthroughFilter',
  validate() {
    throw new NotSupportedError('PciPassthroughFilter is enabled, but novalite hosts do not report PCI devices.', {
      hint: 'Remove PciPassthroughFilter from [filter_scheduler] enabled_filters.',
    });
  },
  prepare: () => null,
});
