/**
 * The scheduler's public face for the rest of novalite (services, conductor, claims, CLI):
 * everything a caller needs, nothing about how filters are wired inside.
 */
export { Scheduler, noValidHostError, type HostsInput, type Selection, type SelectOptions } from './scheduler';
export { HostPool } from './host-pool';
export { consumeFromRequest } from './consume';
export { DEFAULT_FILTERS, NOVA_DEFAULT_FILTERS, defaultSchedulerConfig, resolveAllocationRatio, validateSchedulerConfig } from './config';
export { makeHostState, makeRequestSpec, type HostStateInit, type RequestSpecInit } from './factories';
export { validateHints, hintList, hintValue } from './hints';
export { requestedDiskGb } from './filters/capacity';
export { freeDiskMb, freeRamMb } from './host-view';
export { FILTERS, findFilter } from './filters';
export { WEIGHERS, findWeigher } from './weighers';
export type { Explanation, FilterStep, HostVerdict, WeighedHost } from './explain';
export type * from './types';
