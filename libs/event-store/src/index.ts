export * from './event-store.port';
export * from './position';
export * from './event-ids';
export * from './sqlite/sqlite-event-store';
export * from './refusal-log';
export * from './sqlite/sqlite-refusal-log';
