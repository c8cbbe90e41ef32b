/**
 * Delivering a channel message: what one record's delivery needs, and how it can end (see
 * deliver-channel-message.ts for the main path).
 */
import type { ChannelMessage, DeliveryError, MessageStatus } from '../../contract';
import type {
  AttemptLedger,
  ChannelSender,
  CustomerRepository,
  FallbackQueue,
  ReceiptCheckScheduler,
  SendReceipt,
} from '../ports';
import type { LinkTrackingDependencies } from './track-links';

/** The error code of an attempt given up after too many retryable failures. */
export const RETRIES_EXHAUSTED = 'retries_exhausted';

/** How one record ended (a retry is not an outcome: it is a thrown RetryLaterError). */
export const DeliveryOutcome = {
  /** The provider accepted the message; recorded `sent`. */
  SENT: 'sent',
  /** The attempt was already sent, failed or further along: acknowledged without sending. */
  ALREADY_DONE: 'already-done',
  /** The message's `expiresAt` had passed: recorded `expired`, not sent. */
  EXPIRED: 'expired',
  /** Recorded `failed` (permanent error or retries exhausted); handed back for fallback if allowed. */
  FAILED: 'failed',
  /** The customer was erased while the message was queued: dropped, nothing sent or written. */
  ERASED: 'erased',
} as const;
/** A delivery outcome. */
export type DeliveryOutcome = (typeof DeliveryOutcome)[keyof typeof DeliveryOutcome];

/** What happened to one record. */
export type DeliveryResult =
  | { readonly outcome: typeof DeliveryOutcome.SENT; readonly receipt: SendReceipt }
  | { readonly outcome: typeof DeliveryOutcome.ALREADY_DONE; readonly status: MessageStatus }
  | { readonly outcome: typeof DeliveryOutcome.EXPIRED }
  | { readonly outcome: typeof DeliveryOutcome.ERASED }
  | {
      readonly outcome: typeof DeliveryOutcome.FAILED;
      readonly error: DeliveryError;
      readonly fellBack: boolean;
    };

/** The lease and retry settings (see functions/config.ts `SenderEnv`). */
export interface DeliveryPolicy {
  /** Seconds an attempt's lease lasts: at least the function's timeout, shorter than the visibility timeout. */
  readonly leaseSeconds: number;
  /** On this try (SQS ApproximateReceiveCount), a retryable failure gives the channel up. */
  readonly maxRetryableFailures: number;
}

/** The customer store as a channel sender needs it: opt-outs and dead push devices. */
export type SenderCustomerStore = Pick<CustomerRepository, 'get' | 'setConsent' | 'setAddress'>;

/** Logging as the use case needs it; Powertools Logger fits. Never pass PII in `extra`. */
export interface DeliveryLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

/** What delivering needs. */
export interface DeliveryDependencies {
  readonly sender: ChannelSender;
  readonly ledger: Pick<
    AttemptLedger,
    'leaseAttempt' | 'recordSent' | 'recordFailed' | 'recordReceiptStatus'
  >;
  readonly customers: SenderCustomerStore;
  readonly fallback: FallbackQueue;
  readonly receipts: ReceiptCheckScheduler;
  readonly policy: DeliveryPolicy;
  /** Link tracking (docs/links.md); absent, links go out as written. */
  readonly links?: LinkTrackingDependencies;
  readonly now?: () => Date;
  readonly logger?: DeliveryLogger;
}

/** One record to deliver. */
export interface Delivery {
  readonly message: ChannelMessage;
  /** Which try this is (SQS ApproximateReceiveCount, 1 for the first). */
  readonly receiveCount: number;
  /** Unique per invocation and record: the lease's owner. */
  readonly owner: string;
}

/** What a failure owes after it is recorded, kept in the attempt's details so a redelivery can finish it. */
export interface FailureFollowUps {
  readonly fallback: boolean;
  readonly optedOut: boolean;
  readonly removedDevices: readonly string[];
}
