/**
 * The journey-events function's event filters on the two tables' streams, as plain Lambda filter
 * patterns built from the deployed journeys, so that the stack (infra/journeys.ts wraps them in
 * FilterCriteria) and the local runtime (local/handler-registry.ts) apply the same ones. Only the
 * records the engine acts on (functions/domain/journeys/journey-inputs.ts) invoke it:
 *
 * - a new touchpoint of a known customer (`customer#` partition; an anonymous one is not an input
 *   until the stitch moves it there, which is an insert too) whose `name` is an event some journey
 *   enters on, exits on or waits for;
 * - an attempt item of a message of a journey that branches on an outcome (its `metadata` names
 *   the run): its receipts become the run's message statuses. Every attempt item only when a
 *   journey names a `message.<status>` event, since any message's receipt is then an input;
 * - a new message item routed by a learned choice only when a journey names `message.queued` (its
 *   only event). A journey message's `queued` status is not needed: a send starts without a status,
 *   and `queued` satisfies no outcome a branch can test (`sent`, `delivered`, `read`, `clicked`, `failed`);
 * - a new inbound message of a known customer only when a journey names `message.inbound`;
 * - on the customers table, a profile's change only when a journey names `customer.consent_changed`.
 *
 * The engine matches events against the deployed version of each journey only (journey-engine.ts
 * `applyEvent`), so the deployed documents decide. The engine's own items (runs, documents, stats)
 * never pass: a run's write cannot invoke the function again. Removals carry no new image and never
 * pass. Lambda ORs the patterns; a table with no pattern needs no event source at all.
 */
import {
  CONSENT_CHANGED_EVENT_TYPE,
  DELIVERY_EVENT_TYPES,
  isSwitchboardEventName,
  type Journey,
  JourneyMetadataKey,
  MessageStatus,
} from '../functions/contract';
import { reactionsOf, readsOutcomes } from '../functions/domain/journeys/journey-conditions';
import type { TableDefinition } from './resources';

/** One Lambda filter pattern (plain data). */
export type FilterPattern = Record<string, unknown>;

/** Lambda's limit on one pattern's length, in characters. */
export const MAX_FILTER_PATTERN_LENGTH = 4096;

/** Every event name the deployed journeys enter on, exit on or wait for, sorted. */
export function journeyEventNames(journeys: readonly Journey[]): string[] {
  const names = journeys.flatMap((journey) => [
    journey.entry.event,
    ...reactionsOf(journey).map((match) => match.event),
  ]);
  return [...new Set(names)].sort();
}

/** The filter patterns of one table's stream for the deployed journeys; empty: no record is needed. */
export function journeyStreamPatterns(
  table: TableDefinition['key'],
  journeys: readonly Journey[],
): FilterPattern[] {
  if (journeys.length === 0) return [];
  const names = journeyEventNames(journeys);
  const outcomeReaders = journeys.filter(readsOutcomes).map((journey) => journey.id);
  const patterns = table === 'messages' ? messagesPatterns(names, outcomeReaders) : customersPatterns(names);
  for (const pattern of patterns) {
    const length = JSON.stringify(pattern).length;
    if (length > MAX_FILTER_PATTERN_LENGTH) {
      throw new Error(
        `The journeys' stream filter on the ${table} table is ${length} characters, over Lambda's ${MAX_FILTER_PATTERN_LENGTH}: use fewer distinct event names`,
      );
    }
  }
  return patterns;
}

const newImage = (fields: Record<string, unknown>) => ({ dynamodb: { NewImage: fields } });
const exists = { exists: true } as const;
const customerPartition = { S: [{ prefix: 'customer#' }] };

function messagesPatterns(names: readonly string[], outcomeReaders: readonly string[]): FilterPattern[] {
  const touchpoints = names.filter((name) => !isSwitchboardEventName(name));
  const deliveryEvents = new Set<string>(DELIVERY_EVENT_TYPES);
  const namesDelivery = names.some((name) => deliveryEvents.has(name));
  const patterns: FilterPattern[] = [];
  if (touchpoints.length > 0) {
    patterns.push({
      eventName: ['INSERT'],
      ...newImage({ pk: customerPartition, kind: { S: ['touchpoint'] }, name: { S: touchpoints } }),
    });
  }
  if (namesDelivery) {
    patterns.push(newImage({ kind: { S: ['attempt'] } }));
  } else if (outcomeReaders.length > 0) {
    patterns.push(
      newImage({
        kind: { S: ['attempt'] },
        // The run's address (journey-inputs.ts `runStatusOf`): all three, or no status reaches a
        // run; and only messages of journeys that branch on an outcome (journey-engine.ts ignores
        // the others' statuses, which would cost a run read and write each).
        metadata: {
          M: {
            [JourneyMetadataKey.JOURNEY_ID]: { S: [...outcomeReaders] },
            [JourneyMetadataKey.RUN_ID]: { S: [exists] },
            [JourneyMetadataKey.KEY]: { S: [exists] },
          },
        },
      }),
    );
  }
  if (names.includes(`message.${MessageStatus.QUEUED}`)) {
    patterns.push({
      eventName: ['INSERT'],
      ...newImage({ kind: { S: ['message'] }, choice: { M: { strategy: { S: [exists] } } } }),
    });
  }
  if (names.includes('message.inbound')) {
    patterns.push({
      eventName: ['INSERT'],
      ...newImage({ pk: customerPartition, kind: { S: ['inbound'] } }),
    });
  }
  return patterns;
}

function customersPatterns(names: readonly string[]): FilterPattern[] {
  // Consent changes are on the profile item (`customer#<id>`); its other changes pass too, and the
  // engine finds no new provider consent entry in them.
  return names.includes(CONSENT_CHANGED_EVENT_TYPE) ? [newImage({ pk: customerPartition })] : [];
}
