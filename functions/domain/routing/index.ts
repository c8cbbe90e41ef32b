/**
 * The router: outbound-queue records in, decisions and channel messages out. Start at
 * route-batch.ts for the main path; each step of it has a file named after it.
 */
export { isWhatsAppWindowOpen } from '../whatsapp-window';
export { MAX_RAW_BODY_CHARS } from './record-rejected-request';
export { routeBatch } from './route-batch';
export {
  type MessageRouterDeps,
  type OutboundRecord,
  type RecordResult,
  RouteOutcome,
  type RouterLogger,
  type RouterMetrics,
} from './types';
