export * from './read-model-store';
export * from './projection';
export * from './projections';
export * from './paging';
export * from './projector';
export * from './read-side';
export * from './build-read-models';
export * from './projected-event';
