/** The typed config classes for libvirt domain XML, one per element. */
export * from './clock';
export * from './console';
export * from './cpu';
export * from './disk';
export * from './domain';
export * from './features';
export * from './interface';
export * from './memballoon';
export * from './metadata';
export * from './os';
export * from './rng';
export * from './serial';
