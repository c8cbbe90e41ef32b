/**
 * Journeys: the pure interpreter and the checks of a journey document. The engine (run store,
 * timers, event matching) is an adapter around {@link advance}.
 */
export * from './advance';
export * from './check-journey';
export * from './journey-cohorts';
export * from './journey-conditions';
export * from './journey-engine';
export * from './journey-errors';
export * from './journey-inputs';
export * from './journey-ports';
export * from './journey-run';
export * from './journey-time';
export { requestIdFor, SEEN_EVENT_IDS_KEPT, timerTokenFor } from './run-draft';
