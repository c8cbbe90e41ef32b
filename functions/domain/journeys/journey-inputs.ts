/**
 * What the ledger's changes mean to journeys: the events a run can start on, wait for or exit on
 * (a customer's touchpoint; Switchboard's own delivery events, replies and consent changes, derived
 * by the outbox's one rule, ledger-change-events.ts), and the statuses of the messages runs sent
 * (their metadata names the run). Pure: the journey-events handler feeds it stream records.
 */
import { type DeliveryEvent, journeyOriginOf, MessageStatus } from '../../contract';
import { deriveOwedWork, type LedgerChange } from '../ledger-change-events';
import type { SwitchboardEvent } from '../ports';
import type { RunAddress } from './journey-ports';
import type { JourneyEvent } from './journey-run';

/** A status of a message a run sent. */
export interface RunMessageStatus extends RunAddress {
  readonly requestId: string;
  readonly status: MessageStatus;
}

/** What one change gives journeys. */
export interface JourneyInputs {
  readonly events: JourneyEvent[];
  readonly statuses: RunMessageStatus[];
}

const STATUSES = new Set<string>(Object.values(MessageStatus));

/** The journey events and run message statuses of one ledger change. */
export function journeyInputsOf(change: LedgerChange): JourneyInputs {
  const touchpoint = touchpointEventOf(change);
  if (touchpoint !== undefined) return { events: [touchpoint], statuses: [] };
  const events: JourneyEvent[] = [];
  const statuses: RunMessageStatus[] = [];
  for (const event of deriveOwedWork(change).events) {
    const journeyEvent = switchboardEventOf(event);
    if (journeyEvent !== undefined) events.push(journeyEvent);
    const status = runStatusOf(event);
    if (status !== undefined) statuses.push(status);
  }
  return { events, statuses };
}

/**
 * A new touchpoint of a customer, shaped back into the Segment event it was (`event`, `userId`,
 * `properties`, `context.channel`), so that documents read the paths publishers know.
 */
export function touchpointEventOf(change: LedgerChange): JourneyEvent | undefined {
  const item = change.newImage;
  if (change.table !== 'messages' || change.oldImage !== undefined || item?.kind !== 'touchpoint')
    return undefined;
  if (typeof item.pk !== 'string' || !item.pk.startsWith('customer#')) return undefined;
  const { customerId, messageId, name, occurredAt } = item;
  if (typeof customerId !== 'string' || typeof messageId !== 'string' || typeof name !== 'string')
    return undefined;
  if (typeof occurredAt !== 'string') return undefined;
  const context = { ...((item.context ?? {}) as Record<string, unknown>) };
  if (typeof item.channel === 'string') context.channel = item.channel;
  return {
    id: messageId,
    name,
    customerId,
    at: occurredAt,
    body: {
      type: item.type,
      event: name,
      userId: customerId,
      messageId,
      timestamp: occurredAt,
      properties: (item.properties ?? {}) as Record<string, unknown>,
      context,
    },
  };
}

function switchboardEventOf(event: SwitchboardEvent): JourneyEvent | undefined {
  if (event.customerId === undefined) return undefined;
  const at = 'at' in event ? event.at : 'receivedAt' in event ? event.receivedAt : undefined;
  const id = event.eventId ?? ('providerMessageId' in event ? event.providerMessageId : undefined);
  if (at === undefined || id === undefined) return undefined;
  return { id, name: event.type, customerId: event.customerId, at, body: { ...event } };
}

function runStatusOf(event: SwitchboardEvent): RunMessageStatus | undefined {
  if (!('status' in event) || !('requestId' in event)) return undefined;
  const delivery = event as DeliveryEvent;
  const { journeyId, runId, key } = journeyOriginOf(delivery.metadata);
  if (journeyId === undefined || runId === undefined || key === undefined) return undefined;
  if (!STATUSES.has(delivery.status)) return undefined;
  return {
    customerId: delivery.customerId,
    journeyId,
    key,
    requestId: delivery.requestId,
    status: delivery.status,
  };
}
