/**
 * The router's use case: a batch of outbound-queue records in, one decision and at most one
 * dispatch per message out.
 *
 * Main path for a batch: parse every record; read every customer in one batch read; plan and
 * render each request; record each message with a create-if-absent write; hand every planned
 * channel message to its channel queue in batches; record the attempts as `queued` in one batch
 * write. Each record ends with an outcome, or with the error that makes SQS redeliver it.
 */

import type { PopulationCounts } from '../channel-choice/population-rates';
import type { RoutingProfile, RoutingProfiles } from '../customer-model';
import { DEFAULT_ROUTING, type RoutingDefaults } from '../plan-route';
import { routingStrategyOf } from '../routing-strategy';
import { admitRequest } from './admit-request';
import { dropErasedSinceRead } from './drop-erased-since-read';
import { customerIdOf, logKeysOf, type ParsedRecord, parseOutboundRecord } from './parse-outbound-record';
import { recordRejectedRequest } from './record-rejected-request';
import { routeFallback } from './route-fallback';
import {
  asError,
  duplicateResult,
  type MessageRouterDeps,
  type OutboundRecord,
  type PendingDispatch,
  type RecordResult,
  RouteOutcome,
  type RouterLogger,
  type RouterMetrics,
  type RoutingContext,
} from './types';

const silentLogger: RouterLogger = { info() {}, warn() {}, error() {} };
const noMetrics: RouterMetrics = { count() {} };

/** Routes a batch of outbound records. Never throws: each record gets a result. */
export async function routeBatch(
  records: readonly OutboundRecord[],
  deps: MessageRouterDeps,
): Promise<RecordResult[]> {
  const now = (deps.now ?? (() => new Date()))();
  const logger = deps.logger ?? silentLogger;
  const metrics = deps.metrics ?? noMetrics;
  const defaults = deps.defaults ?? DEFAULT_ROUTING;
  const parsed = records.map(parseOutboundRecord);
  const context: RoutingContext = {
    deps,
    now,
    logger,
    defaults,
    population: await populationOf(parsed, deps, defaults, logger),
    random: deps.random ?? Math.random,
  };

  const results = new Map<string, RecordResult>();
  const firstOfMessage = new Map<string, string>();
  for (const item of parsed) {
    // Two copies of one request in the same batch: the second is a duplicate by definition.
    const first = firstOfMessage.get(item.messageId);
    if (first) results.set(item.record.id, duplicateResult(item.record.id, item.messageId));
    else firstOfMessage.set(item.messageId, item.record.id);
  }
  const work = parsed.filter((item) => !results.has(item.record.id));

  const customerIds = [...new Set(work.flatMap((item) => customerIdOf(item) ?? []))];
  let customers: RoutingProfiles = new Map<string, RoutingProfile>();
  let customersError: Error | undefined;
  if (customerIds.length > 0) {
    try {
      // One read gives each customer's profile and what the webhooks learned (window, bounces).
      customers = await deps.customers.getRoutingProfiles(customerIds);
    } catch (error) {
      customersError = asError(error);
      logger.error('Could not read the customers of the batch', { error: customersError.message });
    }
  }

  const pending: PendingDispatch[] = [];
  await Promise.all(
    work.map(async (item) => {
      try {
        if (item.kind !== 'invalid' && customersError) throw customersError;
        if (customers.erased?.has(customerIdOf(item) ?? '')) {
          // A request in flight, a delayed hop or a fallback for an erased customer: recreate nothing.
          results.set(item.record.id, {
            id: item.record.id,
            outcome: RouteOutcome.ERASED,
            messageId: item.messageId,
          });
          return;
        }
        const result =
          item.kind === 'invalid'
            ? await recordRejectedRequest(item, context)
            : item.kind === 'request'
              ? await admitRequest(item, customers.get(item.request.customerId), context)
              : await routeFallback(item, customers.get(item.fallback.customerId), context);
        if ('dispatches' in result) pending.push(result);
        else results.set(item.record.id, result);
      } catch (error) {
        const failure = asError(error);
        logger.error('Could not route the record; it will be retried', {
          ...logKeysOf(item),
          error: failure.message,
        });
        results.set(item.record.id, {
          id: item.record.id,
          outcome: RouteOutcome.FAILED,
          messageId: item.messageId,
          error: failure,
        });
      }
    }),
  );

  // Every record that wrote to a customer's timeline: dispatches waiting, and finished results
  // that recorded something (scheduled, capped, cancelled, rejected, expired, undeliverable).
  const wrote = new Set<string>([
    RouteOutcome.SCHEDULED,
    RouteOutcome.CAPPED,
    RouteOutcome.CANCELLED,
    RouteOutcome.REJECTED,
    RouteOutcome.EXPIRED,
    RouteOutcome.UNDELIVERABLE,
  ]);
  const byRecord = new Map(work.map((item) => [item.record.id, item]));
  const written = [
    ...pending.map((item) => item.id),
    ...[...results.values()].filter((result) => wrote.has(result.outcome)).map((result) => result.id),
  ].flatMap((recordId) => {
    const item = byRecord.get(recordId);
    const customerId = item ? customerIdOf(item) : undefined;
    return item && customerId ? [{ recordId, customerId, messageId: item.messageId }] : [];
  });
  let sendable: PendingDispatch[];
  try {
    sendable = await dropErasedSinceRead(
      pending,
      written,
      customers.tombstoned ?? new Set(),
      results,
      context,
    );
  } catch (error) {
    // Not known whether they were erased: nothing is queued, SQS redelivers and the router reads again.
    const failure = asError(error);
    logger.error('Could not read the erasure tombstones again; the records will be retried', {
      error: failure.message,
    });
    for (const { recordId, messageId } of written) {
      results.set(recordId, { id: recordId, outcome: RouteOutcome.FAILED, messageId, error: failure });
    }
    sendable = [];
  }

  await dispatchAndRecord(sendable, results, context);

  const keysOf = new Map(parsed.map((item) => [item.record.id, logKeysOf(item)]));
  for (const result of results.values()) {
    metrics.count(result.outcome);
    for (const channel of result.channels ?? []) metrics.count(`planned_${channel}`);
    const extra = {
      ...keysOf.get(result.id),
      sqsMessageId: result.id,
      outcome: result.outcome,
      channels: result.channels,
    };
    if (result.outcome !== RouteOutcome.FAILED) logger.info('Routed record', extra);
  }
  return records.map(
    (record) =>
      results.get(record.id) ?? {
        id: record.id,
        outcome: RouteOutcome.FAILED,
        error: new Error('The router produced no result for this record'),
      },
  );
}

/**
 * Hands every pending channel message to the dispatcher in one call; a record whose channel
 * messages were not all queued fails (and is redelivered, which dispatches its owed attempts again).
 */
async function dispatchAndRecord(
  pending: readonly PendingDispatch[],
  results: Map<string, RecordResult>,
  context: RoutingContext,
): Promise<void> {
  if (pending.length === 0) return;
  const all = pending.flatMap((item) => item.dispatches);
  let failures: Map<string, string>;
  try {
    failures = all.length > 0 ? await context.deps.dispatcher.dispatch(all) : new Map();
  } catch (error) {
    const reason = asError(error).message;
    failures = new Map(all.map((dispatch) => [dispatch.id, reason]));
  }
  const queued = pending.filter((item) => item.dispatches.every((dispatch) => !failures.has(dispatch.id)));
  for (const item of pending) {
    const failed = item.dispatches.filter((dispatch) => failures.has(dispatch.id));
    const error =
      failed.length > 0
        ? new Error(
            `Could not queue ${failed.map((d) => `${d.key.channel}: ${failures.get(d.id)}`).join('; ')}`,
          )
        : undefined;
    results.set(item.id, {
      id: item.id,
      outcome: error ? RouteOutcome.FAILED : RouteOutcome.ROUTED,
      messageId: item.messageId,
      channels: queued.includes(item) ? item.dispatches.map((dispatch) => dispatch.key.channel) : [],
      ...(error ? { error } : {}),
    });
  }
}

/**
 * The population's counts for the batch's learned requests' categories: a cached read at most, and
 * never a reason to fail a message (they are a prior; without them the prior is uninformed).
 */
async function populationOf(
  parsed: readonly ParsedRecord[],
  deps: MessageRouterDeps,
  defaults: RoutingDefaults,
  logger: RouterLogger,
): Promise<PopulationCounts> {
  if (!deps.population) return {};
  const categories = new Set<string>();
  for (const item of parsed) {
    if (item.kind === 'request' && routingStrategyOf(item.request, defaults.strategies) === 'learned') {
      categories.add(item.request.category);
    }
  }
  if (categories.size === 0) return {};
  try {
    return await deps.population.countsFor([...categories]);
  } catch (error) {
    logger.warn('Could not read the population engagement rates; learned choices use uninformed priors', {
      error: asError(error).message,
    });
    return {};
  }
}
