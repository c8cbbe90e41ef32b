/**
 * ReceiptCheck: the internal message on the receipts queue asking "has this attempt been delivered
 * by `dueAt`?". Internal, so it may change between releases; the receipt-timeout handler parses it.
 */
import { z } from 'zod';
import { identifier, timestamp } from './fields';
import { ChannelSchema } from './vocabulary';

/** A delayed receipt check for one attempt. */
export const ReceiptCheckSchema = z.strictObject({
  schemaVersion: z.literal(1),
  messageId: z.string().min(1).max(128),
  /**
   * The message's customer. The ledger keeps messages under their customer, so a check without it
   * cannot find its attempt (optional only so that checks queued by an older sender still parse).
   */
  customerId: identifier('customer id').optional(),
  channel: ChannelSchema,
  attempt: z.number().int().min(1).max(8),
  /** When the receipt timeout expires; checks that arrive earlier are delayed again. */
  dueAt: timestamp,
});
/** A receipt check. */
export type ReceiptCheck = z.infer<typeof ReceiptCheckSchema>;
