/**
 * The floor of AWS requests for touchpoint events: the fewest requests any design of this data
 * model needs (one item per event; a customer's event on the `gsi1` timeline index, which the
 * timeline API reads; an anonymous visitor's event on no index), priced as bench/lib/cost.ts
 * prices measured requests, with no Lambda duration. docs/touchpoints.md states it in prose.
 *
 * Per event, by transport (e events per HTTP request; on the queue, m events per SQS message and
 * ten messages per SendMessageBatch and per receive, the event source's batch size):
 * - API: 1/e HTTP API request, 1/e Lambda invocation;
 * - public ingest (a function URL): 1/e Lambda invocation, 0.5/e RRU (the write key's source);
 * - queue: 1/(10m) SendMessageBatch, 1/(10m) ReceiveMessage, 1/(10m) DeleteMessageBatch,
 *   1/(10m) Lambda invocation.
 * Per event, in DynamoDB units (items ≤ 1 KB, reads ≤ 4 KB):
 * - an event with a `userId`: 2 WRU (the item and its timeline entry) + 0.5 RRU (an eventually
 *   consistent read of the customer's erasure tombstone: nothing may be written for an erased
 *   customer, and no condition on the touchpoint's own item can see a tombstone kept elsewhere;
 *   a BatchGetItem per batch saves requests, not units, since on-demand bills per item read);
 * - an event with only an `anonymousId`: 1 WRU (the item) + 1 RRU (a strongly consistent read of
 *   the visitor's stitch, so that an event after an identify goes to the customer);
 * - each such event published before the identify that stitched its visitor: + 3 WRU to move it
 *   (a create-if-absent copy to the customer with its timeline entry, then the delete);
 * - an identify with traits: + 1 WRU (the profile update, a profile ≤ 1 KB);
 * - an identify carrying both ids (a stitch): + 1 WRU (the link on the anonymous profile) + 1 WRU
 *   (the reference back that erasure finds it by) + 1 RRU (a consistent query of the visitor's
 *   history, ≤ 4 KB).
 * - a conversion (a customer's `Order Completed`), attributed by the ledger's stream consumer:
 *   + 0.5 RRU (one eventually consistent Query of the customer's messages in the window, which the
 *   bench's customers do not have) + 2 WRU (the conversion item and its timeline entry; with no
 *   message to credit there is nothing to claim or count) + one stream invocation per 100 records.
 * The stream consumer needs no invocation for any other touchpoint: the stream mapping's event
 * filter drops those records for free.
 */
import { type CostPerMillion, priceRequests } from './cost';
import type { TouchpointMixCounts } from './touchpoint-mix';

/** How events reach Switchboard. */
export type TouchpointTransport =
  | { readonly kind: 'api'; readonly eventsPerRequest: number }
  /** The public ingest: a function URL (no API Gateway), one source read per request. */
  | { readonly kind: 'ingest'; readonly eventsPerRequest: number }
  | { readonly kind: 'queue'; readonly eventsPerMessage: number };

/** The stream event source's batch: at best one invocation per 100 records. */
const STREAM_RECORDS_PER_INVOCATION_INVERSE = 1 / 100;

/** SQS's batch limit: messages per SendMessageBatch and per ReceiveMessage (the event source's batch). */
const SQS_BATCH = 10;

/** The floor per million events of a mix sent through a transport. */
export function touchpointFloorPerMillion(
  counts: TouchpointMixCounts,
  transport: TouchpointTransport,
): CostPerMillion {
  const perEvent = 1 / Math.max(1, counts.events);
  let httpApiRequests = 0;
  let lambdaInvocations: number;
  let sqsRequests = 0;
  let sourceReadUnits = 0;
  if (transport.kind === 'api') {
    httpApiRequests = 1 / transport.eventsPerRequest;
    lambdaInvocations = 1 / transport.eventsPerRequest;
  } else if (transport.kind === 'ingest') {
    lambdaInvocations = 1 / transport.eventsPerRequest;
    // The write key's source, read eventually consistently once per request (0.5 RRU).
    sourceReadUnits = 0.5 / transport.eventsPerRequest;
  } else {
    const eventsPerBatch = SQS_BATCH * transport.eventsPerMessage;
    sqsRequests = 3 / eventsPerBatch;
    lambdaInvocations = 1 / eventsPerBatch;
  }
  lambdaInvocations += counts.conversions * perEvent * STREAM_RECORDS_PER_INVOCATION_INVERSE;
  const writeUnits =
    (2 * counts.conversions +
      2 * counts.customerEvents +
      counts.anonymousEvents +
      3 * counts.movedEvents +
      counts.traitIdentifies +
      2 * counts.stitches) *
    perEvent;
  const readUnits =
    (0.5 * counts.customerEvents + 0.5 * counts.conversions + counts.anonymousEvents + counts.stitches) *
      perEvent +
    sourceReadUnits;
  return priceRequests({ lambdaInvocations, sqsRequests, writeUnits, readUnits, httpApiRequests });
}
