/**
 * The touchpoint events a bench run publishes, in a fixed, realistic mix, with where each one must
 * end up (for the reconciliation) and the counts the floor is computed from.
 *
 * Every block of 20 events: 14 `track` with a `userId` (70%); 2 anonymous `track` and 2 anonymous
 * `page` by the block's visitor (20%); 2 `identify` with traits (10%), the last of which, in every
 * other block, also carries the visitor's `anonymousId` and so stitches the visitor's history
 * (published before it) onto the customer.
 */

import { anonymousPartition, partitionOf } from '../../functions/adapters/dynamodb/messages-table';
import type { TouchpointEventInput } from '../../functions/contract';

/** What the floor needs to know of a mix (bench/lib/touchpoint-floor.ts). */
export interface TouchpointMixCounts {
  readonly events: number;
  /** Events with a `userId` (tracks, pages and identifies): stored on the customer. */
  readonly customerEvents: number;
  /** Events with only an `anonymousId`. */
  readonly anonymousEvents: number;
  /** Of those, published before an identify stitched their visitor: moved onto the customer later. */
  readonly movedEvents: number;
  /** Identifies whose traits update the customer's profile. */
  readonly traitIdentifies: number;
  /** Identifies carrying both ids: one link of an anonymous profile to a customer each. */
  readonly stitches: number;
  /** Of the customer events, conversions (`Order Completed`), which the ledger's stream attributes. */
  readonly conversions: number;
}

/** The events of one run, where each must be stored, and the mix's counts. */
export interface TouchpointMix {
  readonly events: readonly TouchpointEventInput[];
  /** messageId → the partition (`customer#…` or `anonymous#…`) the event must end on, exactly once. */
  readonly homes: ReadonlyMap<string, string>;
  readonly counts: TouchpointMixCounts;
}

const TRACKED = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'] as const;
const CHANNELS = ['web', 'mobile', 'store'] as const;

/** Builds `n` events over the given (existing) customers; `runId` keeps ids apart between runs. */
export function touchpointMix(options: {
  readonly n: number;
  readonly customerIds: readonly string[];
  readonly runId: string;
}): TouchpointMix {
  const { n, customerIds, runId } = options;
  if (customerIds.length === 0) throw new Error('a touchpoint mix needs at least one customer');
  const events: TouchpointEventInput[] = [];
  const homes = new Map<string, string>();
  const pendingAnonymous = new Map<string, string[]>();
  let customerEvents = 0;
  let conversions = 0;
  let anonymousEvents = 0;
  let movedEvents = 0;
  let traitIdentifies = 0;
  let stitches = 0;
  for (let index = 0; index < n; index++) {
    const block = Math.floor(index / 20);
    const slot = index % 20;
    const messageId = `${runId}-${index}`;
    // A stride coprime with typical customer counts spreads one batch over many customers.
    const userId = customerIds[(index * 7) % customerIds.length] as string;
    const visitor = `${runId}-visitor-${block}`;
    const timestamp = new Date(Date.UTC(2026, 10, 23, 9, 0, 0) + index * 1000).toISOString();
    const context = { channel: CHANNELS[index % CHANNELS.length] };
    if (slot === 7 || slot === 8 || slot === 17 || slot === 18) {
      const page = slot === 8 || slot === 18;
      events.push(
        page
          ? {
              type: 'page',
              messageId,
              anonymousId: visitor,
              name: 'Cart',
              timestamp,
              context: { channel: 'web' },
            }
          : { type: 'track', messageId, anonymousId: visitor, event: 'Product Viewed', timestamp, context },
      );
      homes.set(messageId, anonymousPartition(visitor));
      pendingAnonymous.set(visitor, [...(pendingAnonymous.get(visitor) ?? []), messageId]);
      anonymousEvents++;
    } else if (slot === 9 || slot === 19) {
      const stitch = slot === 19 && block % 2 === 0;
      events.push({
        type: 'identify',
        messageId,
        userId,
        ...(stitch ? { anonymousId: visitor } : {}),
        traits: { plan: block % 3 === 0 ? 'gold' : 'silver', visits: block },
        timestamp,
        context,
      });
      homes.set(messageId, partitionOf(userId));
      customerEvents++;
      traitIdentifies++;
      if (stitch) {
        stitches++;
        for (const moved of pendingAnonymous.get(visitor) ?? []) {
          homes.set(moved, partitionOf(userId));
          movedEvents++;
        }
        pendingAnonymous.delete(visitor);
      }
    } else {
      const name = TRACKED[index % TRACKED.length] as string;
      events.push({
        type: 'track',
        messageId,
        userId,
        event: name,
        properties:
          name === 'Order Completed'
            ? { orderId: `order-${index}`, total: 89, currency: 'EUR' }
            : { sku: `sku-${index % 50}` },
        timestamp,
        context,
      });
      homes.set(messageId, partitionOf(userId));
      customerEvents++;
      if (name === 'Order Completed') conversions++;
    }
  }
  return {
    events,
    homes,
    counts: {
      events: n,
      customerEvents,
      anonymousEvents,
      movedEvents,
      traitIdentifies,
      stitches,
      conversions,
    },
  };
}
