export * from './event-store.port';
export * from './position';
export * from './event-ids';
export * from './sqlite/sqlite-event-store';
