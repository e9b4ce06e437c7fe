export * from './read-model-store';
export * from './projector';
export * from './read-side';
export * from './build-read-models';
export * from './projected-event';
