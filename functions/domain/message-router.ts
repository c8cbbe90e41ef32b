/**
 * The router's use case: a batch of outbound-queue records in, one decision and at most one
 * dispatch per message out.
 *
 * Main path for a batch: parse every record; read every customer in one batch read; plan and
 * render each request; record each message with a create-if-absent write; hand every planned
 * channel message to its channel queue in batches; record the attempts as `queued` in one batch
 * write. Each record ends with an outcome, or with the error that makes SQS redeliver it.
 */
import {
  type Channel,
  type ChannelMessage,
  type FallbackRequest,
  FallbackRequestSchema,
  type FieldIssue,
  type MessageRequest,
  MessageStatus,
  safeParseMessageRequest,
  safeParseWith,
} from '../contract';
import { ChannelUnusableError, RequestRejectedError } from './errors';
import { messageIdFor, rejectedMessageIdFor } from './message-id';
import {
  DEFAULT_ROUTING,
  planRoute,
  type RoutePlan,
  type RoutingDefaults,
  type SkipReasons,
} from './plan-route';
import {
  type AttemptKey,
  type ChannelDispatcher,
  type ChannelState,
  type CustomerRepository,
  type DeliveryScheduler,
  type Dispatch,
  type LedgerMessage,
  MAX_QUEUE_DELAY_SECONDS,
  type MessageLedger,
  type MessageRenderer,
  type NewMessage,
  type RoutingProfile,
  type RoutingProfiles,
} from './ports';
import { isTerminal } from './status-rank';

/** Most characters of an unparsable body kept on the ledger. */
export const MAX_RAW_BODY_CHARS = 4096;
/** A scheduled message this close to its time is treated as due (clock skew, schedule jitter). */
const DUE_TOLERANCE_MS = 1000;

/** What happened to one record. */
export const RouteOutcome = {
  ROUTED: 'routed',
  SCHEDULED: 'scheduled',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  UNDELIVERABLE: 'undeliverable',
  DUPLICATE: 'duplicate',
  /** The customer was erased (an erasure tombstone): dropped, nothing written or sent. */
  ERASED: 'erased',
  FAILED: 'failed',
} as const;
/** An outcome name. */
export type RouteOutcome = (typeof RouteOutcome)[keyof typeof RouteOutcome];

/** A record from the outbound queue. */
export interface OutboundRecord {
  /** The SQS message id (the batch item identifier). */
  readonly id: string;
  readonly body: string;
}

/** The outcome of one record; `error` is set exactly when it must be retried. */
export interface RecordResult {
  readonly id: string;
  readonly outcome: RouteOutcome;
  readonly messageId?: string;
  readonly channels?: readonly Channel[];
  readonly error?: Error;
}

/** Logging as the router needs it; Powertools Logger fits. Never pass PII in `extra`. */
export interface RouterLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Counting as the router needs it. */
export interface RouterMetrics {
  count(name: string, value?: number): void;
}

/** Everything the router talks to. */
export interface MessageRouterDeps {
  readonly customers: Pick<CustomerRepository, 'getRoutingProfiles'>;
  readonly ledger: MessageLedger;
  readonly dispatcher: ChannelDispatcher;
  readonly scheduler: DeliveryScheduler;
  readonly renderer: MessageRenderer;
  readonly defaults?: RoutingDefaults;
  readonly now?: () => Date;
  readonly logger?: RouterLogger;
  readonly metrics?: RouterMetrics;
}

type Parsed =
  | { kind: 'request'; record: OutboundRecord; request: MessageRequest; messageId: string }
  | { kind: 'fallback'; record: OutboundRecord; fallback: FallbackRequest; messageId: string }
  | {
      kind: 'invalid';
      record: OutboundRecord;
      issues: FieldIssue[];
      messageId: string;
      customerId?: string;
      requestId?: string;
    };

/** A record that reached the dispatch step. */
interface Pending {
  readonly id: string;
  readonly messageId: string;
  readonly dispatches: readonly (Dispatch & { readonly key: AttemptKey })[];
}

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
  const context: Context = { deps, now, logger, defaults: deps.defaults ?? DEFAULT_ROUTING };

  const parsed = records.map(parseRecord);
  const results = new Map<string, RecordResult>();
  const firstOfMessage = new Map<string, string>();
  for (const item of parsed) {
    // Two copies of one request in the same batch: the second is a duplicate by definition.
    const first = firstOfMessage.get(item.messageId);
    if (first) results.set(item.record.id, duplicate(item.record.id, item.messageId));
    else firstOfMessage.set(item.messageId, item.record.id);
  }
  const work = parsed.filter((item) => !results.has(item.record.id));

  const customerIds = [
    ...new Set(
      work.flatMap((item) =>
        item.kind === 'request'
          ? [item.request.customerId]
          : item.kind === 'fallback'
            ? [item.fallback.customerId]
            : // An invalid record names its customer too: read for the erasure tombstone only.
              item.customerId
              ? [item.customerId]
              : [],
      ),
    ),
  ];
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

  const pending: Pending[] = [];
  await Promise.all(
    work.map(async (item) => {
      const keys = logKeys(item);
      try {
        if (item.kind !== 'invalid' && customersError) throw customersError;
        if (customers.erased?.has(keys.customerId ?? '')) {
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
            ? await recordInvalid(item, context)
            : item.kind === 'request'
              ? await routeRequest(item, customers.get(item.request.customerId), context)
              : await routeFallback(item, customers.get(item.fallback.customerId), context);
        if ('dispatches' in result) pending.push(result);
        else results.set(item.record.id, result);
      } catch (error) {
        const failure = asError(error);
        logger.error('Could not route the record; it will be retried', { ...keys, error: failure.message });
        results.set(item.record.id, {
          id: item.record.id,
          outcome: RouteOutcome.FAILED,
          messageId: item.messageId,
          error: failure,
        });
      }
    }),
  );

  await dispatchAndRecord(pending, results, context);

  const keysOf = new Map(parsed.map((item) => [item.record.id, logKeys(item)]));
  for (const result of results.values()) {
    metrics.count(metricName(result.outcome));
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

interface Context {
  readonly deps: MessageRouterDeps;
  readonly now: Date;
  readonly logger: RouterLogger;
  readonly defaults: RoutingDefaults;
}

type StepResult = RecordResult | Pending;

function parseRecord(record: OutboundRecord): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    return {
      kind: 'invalid',
      record,
      issues: [{ field: '(request)', message: 'is not JSON' }],
      messageId: rejectedMessageIdFor(record.body),
    };
  }
  if (isObject(json) && json.kind === 'fallback') {
    const fallback = safeParseWith(FallbackRequestSchema, json);
    if (fallback.success) {
      return { kind: 'fallback', record, fallback: fallback.data, messageId: fallback.data.messageId };
    }
    return { kind: 'invalid', record, issues: fallback.issues, messageId: rejectedMessageIdFor(record.body) };
  }
  const parsed = safeParseMessageRequest(json);
  if (parsed.success) {
    return {
      kind: 'request',
      record,
      request: parsed.data,
      messageId: messageIdFor(parsed.data.customerId, parsed.data.requestId),
    };
  }
  // Keep an invalid request on its customer's timeline when its ids are usable.
  const customerId = isObject(json) && isSafeId(json.customerId) ? json.customerId : undefined;
  const requestId = isObject(json) && isSafeId(json.requestId) ? json.requestId : undefined;
  return {
    kind: 'invalid',
    record,
    issues: parsed.issues,
    customerId,
    requestId,
    messageId:
      customerId && requestId ? messageIdFor(customerId, requestId) : rejectedMessageIdFor(record.body),
  };
}

async function recordInvalid(
  item: Extract<Parsed, { kind: 'invalid' }>,
  context: Context,
): Promise<RecordResult> {
  const reasons = item.issues.map((issue) => `${issue.field}: ${issue.message}`);
  const created = await context.deps.ledger.createMessage({
    messageId: item.messageId,
    customerId: item.customerId ?? '',
    requestId: item.requestId ?? '',
    status: MessageStatus.REJECTED,
    reasons,
    rawBody: item.record.body.slice(0, MAX_RAW_BODY_CHARS),
    skipped: {},
    fallbackChannels: [],
    attempts: [],
    metadata: {},
    at: context.now.toISOString(),
  });
  context.logger.warn('Rejected an invalid request', { ...logKeys(item), reasons });
  if (!created.created) return duplicate(item.record.id, item.messageId);
  return { id: item.record.id, outcome: RouteOutcome.REJECTED, messageId: item.messageId };
}

async function routeRequest(
  item: Extract<Parsed, { kind: 'request' }>,
  profile: RoutingProfile | undefined,
  context: Context,
): Promise<StepResult> {
  const { request, messageId } = item;
  const base = { ...newMessage(request, messageId, context.now), sourceId: item.record.id };
  const decision = await decide(request, profile, [], context);
  if (decision.kind === 'final') {
    const created = await context.deps.ledger.createMessage({
      ...base,
      status: decision.status,
      reasons: decision.reasons,
      skipped: decision.skipped,
    });
    if (!created.created) return resumeExisting(item, created.existing, profile, context);
    return { id: item.record.id, outcome: outcomeOf(decision.status), messageId };
  }
  const attempts = decision.channels.map((channel) => ({ channel, attempt: 1 }));
  const plan = { attempts, fallbackChannels: decision.fallbackChannels, skipped: decision.skipped };
  const scheduled = decision.delaySeconds > MAX_QUEUE_DELAY_SECONDS;
  const created = await context.deps.ledger.createMessage({
    ...base,
    ...(scheduled ? { attempts: [], fallbackChannels: [], skipped: decision.skipped } : plan),
    status: scheduled ? MessageStatus.SCHEDULED : MessageStatus.QUEUED,
    reasons: decision.quietHoursDelay ? ['delayed to the end of quiet hours'] : [],
    deliverAt: decision.deliverAt.toISOString(),
  });
  if (!created.created) return resumeExisting(item, created.existing, profile, context);
  if (scheduled) {
    await context.deps.scheduler.schedule({ key: messageId, at: decision.deliverAt, body: item.record.body });
    return { id: item.record.id, outcome: RouteOutcome.SCHEDULED, messageId };
  }
  return pendingFor(item.record.id, request, messageId, decision, 1, context);
}

/** A request whose message already exists: a duplicate, a due schedule, or a retry after a crash. */
async function resumeExisting(
  item: Extract<Parsed, { kind: 'request' }>,
  existing: LedgerMessage,
  profile: RoutingProfile | undefined,
  context: Context,
): Promise<StepResult> {
  const { messageId, request } = item;
  const { ledger, scheduler } = context.deps;
  if (existing.status === MessageStatus.SCHEDULED) {
    const deliverAt = existing.deliverAt ? Date.parse(existing.deliverAt) : 0;
    if (deliverAt - DUE_TOLERANCE_MS > context.now.getTime()) {
      // Not due: a duplicate publish, or one hop of a chained local schedule. Scheduling is idempotent.
      await scheduler.schedule({ key: messageId, at: new Date(deliverAt), body: item.record.body });
      return { id: item.record.id, outcome: RouteOutcome.SCHEDULED, messageId };
    }
    const decision = await decide(request, profile, [], context);
    if (decision.kind === 'final') {
      await ledger.recordMessageStatus(request.customerId, messageId, {
        status: decision.status,
        at: context.now.toISOString(),
        reason: decision.reasons.join('; '),
      });
      return { id: item.record.id, outcome: outcomeOf(decision.status), messageId };
    }
    if (decision.delaySeconds > MAX_QUEUE_DELAY_SECONDS) {
      await scheduler.schedule({ key: messageId, at: decision.deliverAt, body: item.record.body });
      return { id: item.record.id, outcome: RouteOutcome.SCHEDULED, messageId };
    }
    const attempts = decision.channels.map((channel) => ({ channel, attempt: 1 }));
    const started = await ledger.startScheduled(
      request.customerId,
      messageId,
      {
        attempts,
        fallbackChannels: decision.fallbackChannels,
        skipped: decision.skipped,
        sourceId: item.record.id,
      },
      context.now.toISOString(),
    );
    if (!started) return duplicate(item.record.id, messageId);
    return pendingFor(item.record.id, request, messageId, decision, 1, context);
  }
  const redispatch = await redispatchIfOwed(item.record.id, request, existing, profile, context);
  return redispatch ?? duplicate(item.record.id, messageId);
}

/**
 * The same queue record delivered again (after a failure or a crash) still owes the dispatch of the
 * latest attempts it planned: dispatch them again. If an earlier delivery did reach the channel
 * queue, the channel sender's lease on the attempt keeps it to one send.
 */
async function redispatchIfOwed(
  recordId: string,
  request: MessageRequest,
  existing: LedgerMessage,
  profile: RoutingProfile | undefined,
  context: Context,
): Promise<Pending | undefined> {
  if (existing.status !== MessageStatus.QUEUED || existing.sourceId !== recordId || !profile)
    return undefined;
  const latest = Math.max(0, ...existing.attempts.map((attempt) => attempt.attempt));
  const owed = existing.attempts.filter((attempt) => attempt.attempt === latest);
  if (owed.length === 0) return undefined;
  const deliverAt = existing.deliverAt ? new Date(existing.deliverAt) : context.now;
  const dispatches = await buildDispatches(
    request,
    profile,
    existing.messageId,
    owed,
    existing.fallbackChannels,
    deliverAt,
    context,
  );
  context.logger.warn('Dispatching again the attempts of a redelivered record', {
    messageId: existing.messageId,
    customerId: request.customerId,
    attempts: owed.length,
  });
  return { id: recordId, messageId: existing.messageId, dispatches };
}

async function routeFallback(
  item: Extract<Parsed, { kind: 'fallback' }>,
  profile: RoutingProfile | undefined,
  context: Context,
): Promise<StepResult> {
  const { fallback, messageId } = item;
  const { ledger } = context.deps;
  const message = await ledger.getMessage(fallback.customerId, messageId);
  if (!message?.request) {
    context.logger.warn('Fallback for a message the ledger does not have (erased?); dropping it', {
      messageId,
      customerId: fallback.customerId,
    });
    return duplicate(item.record.id, messageId);
  }
  if (isTerminal(message.status)) return duplicate(item.record.id, messageId);
  const request = message.request;
  if (request.routing?.fallback === false) return duplicate(item.record.id, messageId);
  const tried = [...new Set([...fallback.triedChannels, ...message.attempts.map((a) => a.channel)])];
  const decision = await decide(request, profile, tried, context);
  const at = context.now.toISOString();
  if (decision.kind === 'final') {
    await ledger.recordMessageStatus(fallback.customerId, messageId, {
      status: decision.status,
      at,
      reason: `fallback after "${fallback.reason}": ${decision.reasons.join('; ')}`,
    });
    return { id: item.record.id, outcome: outcomeOf(decision.status), messageId };
  }
  const attemptNumber = Math.max(0, ...message.attempts.map((a) => a.attempt)) + 1;
  if (decision.delaySeconds > MAX_QUEUE_DELAY_SECONDS) {
    await context.deps.scheduler.schedule({
      key: `${messageId}-${attemptNumber}`,
      at: decision.deliverAt,
      body: item.record.body,
    });
    return { id: item.record.id, outcome: RouteOutcome.SCHEDULED, messageId };
  }
  const attempts = decision.channels.map((channel) => ({ channel, attempt: attemptNumber }));
  const added = await ledger.addFallbackAttempts(
    fallback.customerId,
    messageId,
    {
      attempts,
      fallbackChannels: decision.fallbackChannels,
      skipped: decision.skipped,
      sourceId: item.record.id,
    },
    { status: MessageStatus.QUEUED, at, reason: `fallback after "${fallback.reason}"` },
  );
  if (!added) {
    // Either another fallback got there first, or this record planned it and is being redelivered.
    const current = await ledger.getMessage(fallback.customerId, messageId);
    const redispatch =
      current && (await redispatchIfOwed(item.record.id, request, current, profile, context));
    return redispatch || duplicate(item.record.id, messageId);
  }
  return pendingFor(item.record.id, request, messageId, decision, attemptNumber, context);
}

type Decision =
  | {
      kind: 'final';
      status: MessageStatus;
      reasons: string[];
      skipped: SkipReasons;
    }
  | {
      kind: 'route';
      channels: Channel[];
      fallbackChannels: Channel[];
      skipped: SkipReasons;
      deliverAt: Date;
      delaySeconds: number;
      quietHoursDelay: boolean;
      rendered: Map<Channel, ChannelMessage['content']>;
      profile: RoutingProfile;
    };

/** Plans, then renders each planned channel; a channel with nothing to show is skipped like any other. */
async function decide(
  request: MessageRequest,
  profile: RoutingProfile | undefined,
  tried: readonly Channel[],
  context: Context,
): Promise<Decision> {
  if (!profile) {
    return {
      kind: 'final',
      status: MessageStatus.UNDELIVERABLE,
      reasons: ['customer: not found'],
      skipped: {},
    };
  }
  const { customer, state } = profile;
  const plan: RoutePlan = planRoute({
    request,
    customer,
    channelState: state,
    now: context.now,
    triedChannels: tried,
    defaults: context.defaults,
  });
  const whatsappWindowOpen = isWhatsAppWindowOpen(state, context.now);
  if (plan.kind === 'expired') {
    return { kind: 'final', status: MessageStatus.EXPIRED, reasons: [plan.reason], skipped: {} };
  }
  if (plan.kind === 'undeliverable') {
    return {
      kind: 'final',
      status: MessageStatus.UNDELIVERABLE,
      reasons: [plan.reason],
      skipped: plan.skipped,
    };
  }
  const skipped: SkipReasons = { ...plan.skipped };
  const rendered = new Map<Channel, ChannelMessage['content']>();
  const wanted = plan.channels.length;
  const queue = [...plan.channels, ...plan.fallbackChannels];
  const chosen: Channel[] = [];
  while (queue.length > 0 && chosen.length < wanted) {
    const channel = queue.shift() as Channel;
    try {
      rendered.set(
        channel,
        await context.deps.renderer.render({
          request,
          customer,
          channel,
          now: context.now,
          whatsappWindowOpen,
        }),
      );
      chosen.push(channel);
    } catch (error) {
      if (error instanceof RequestRejectedError) {
        return { kind: 'final', status: MessageStatus.REJECTED, reasons: [...error.reasons], skipped };
      }
      if (error instanceof ChannelUnusableError) {
        skipped[channel] = error.message;
        continue;
      }
      throw error;
    }
  }
  if (chosen.length === 0) {
    const reason = Object.entries(skipped)
      .map(([channel, why]) => `${channel}: ${why}`)
      .join('; ');
    return { kind: 'final', status: MessageStatus.UNDELIVERABLE, reasons: [reason], skipped };
  }
  return {
    kind: 'route',
    channels: chosen,
    fallbackChannels: queue,
    skipped,
    deliverAt: plan.deliverAt,
    delaySeconds: Math.max(0, Math.ceil((plan.deliverAt.getTime() - context.now.getTime()) / 1000)),
    quietHoursDelay: plan.quietHoursDelay,
    rendered,
    profile,
  };
}

function pendingFor(
  id: string,
  request: MessageRequest,
  messageId: string,
  decision: Extract<Decision, { kind: 'route' }>,
  attempt: number,
  context: Context,
): Pending {
  const dispatches = decision.channels.map((channel) => {
    const key: AttemptKey = { customerId: request.customerId, messageId, channel, attempt };
    const content = decision.rendered.get(channel) ?? {};
    return {
      id: `${id}:${channel}`,
      key,
      delaySeconds: decision.delaySeconds,
      message: channelMessage(
        request,
        messageId,
        channel,
        attempt,
        content,
        decision.fallbackChannels,
        decision.profile,
        context,
      ),
    };
  });
  return { id, messageId, dispatches };
}

async function buildDispatches(
  request: MessageRequest,
  profile: RoutingProfile,
  messageId: string,
  attempts: readonly { channel: Channel; attempt: number }[],
  fallbackChannels: readonly Channel[],
  deliverAt: Date,
  context: Context,
): Promise<Pending['dispatches']> {
  const delaySeconds = Math.min(
    MAX_QUEUE_DELAY_SECONDS,
    Math.max(0, Math.ceil((deliverAt.getTime() - context.now.getTime()) / 1000)),
  );
  return Promise.all(
    attempts.map(async ({ channel, attempt }) => {
      const content = await context.deps.renderer.render({
        request,
        customer: profile.customer,
        channel,
        now: context.now,
        whatsappWindowOpen: isWhatsAppWindowOpen(profile.state, context.now),
      });
      return {
        id: `${messageId}:${attempt}:${channel}`,
        key: { customerId: request.customerId, messageId, channel, attempt },
        delaySeconds,
        message: channelMessage(
          request,
          messageId,
          channel,
          attempt,
          content,
          fallbackChannels,
          profile,
          context,
        ),
      };
    }),
  );
}

function channelMessage(
  request: MessageRequest,
  messageId: string,
  channel: Channel,
  attempt: number,
  content: ChannelMessage['content'],
  fallbackChannels: readonly Channel[],
  profile: RoutingProfile,
  context: Context,
): ChannelMessage {
  const base = {
    schemaVersion: 1 as const,
    messageId,
    requestId: request.requestId,
    customerId: request.customerId,
    category: request.category,
    attempt,
    content,
    fallbackChannels: [...fallbackChannels],
    ...(request.routing?.receiptTimeoutSeconds
      ? { receiptTimeoutSeconds: request.routing.receiptTimeoutSeconds }
      : {}),
    ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
    metadata: request.metadata ?? {},
    queuedAt: context.now.toISOString(),
  };
  const addresses = profile.customer.addresses;
  const windowUntil = profile.state.whatsappWindowUntil;
  switch (channel) {
    case 'sms':
      return { ...base, channel, to: addresses.sms ?? '' };
    case 'whatsapp':
      return {
        ...base,
        channel,
        to: addresses.whatsapp ?? '',
        // The sender decides freeform or template on this, at send time.
        ...(windowUntil && isWhatsAppWindowOpen(profile.state, context.now)
          ? { windowOpenUntil: windowUntil }
          : {}),
      };
    case 'email':
      return { ...base, channel, to: addresses.email ?? '' };
    case 'push':
      return { ...base, channel, to: addresses.push ?? [] };
  }
}

async function dispatchAndRecord(
  pending: readonly Pending[],
  results: Map<string, RecordResult>,
  context: Context,
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

/** Whether the customer's WhatsApp 24-hour window is open now. */
export function isWhatsAppWindowOpen(state: ChannelState, now: Date): boolean {
  return state.whatsappWindowUntil !== undefined && Date.parse(state.whatsappWindowUntil) > now.getTime();
}

function newMessage(request: MessageRequest, messageId: string, now: Date): NewMessage {
  return {
    messageId,
    customerId: request.customerId,
    requestId: request.requestId,
    category: request.category,
    status: MessageStatus.QUEUED,
    request,
    reasons: [],
    skipped: {},
    fallbackChannels: [],
    attempts: [],
    metadata: request.metadata ?? {},
    at: now.toISOString(),
  };
}

function outcomeOf(status: MessageStatus): RouteOutcome {
  switch (status) {
    case MessageStatus.EXPIRED:
      return RouteOutcome.EXPIRED;
    case MessageStatus.UNDELIVERABLE:
      return RouteOutcome.UNDELIVERABLE;
    case MessageStatus.REJECTED:
      return RouteOutcome.REJECTED;
    case MessageStatus.SCHEDULED:
      return RouteOutcome.SCHEDULED;
    default:
      return RouteOutcome.ROUTED;
  }
}

function metricName(outcome: RouteOutcome): string {
  return outcome;
}

function duplicate(id: string, messageId: string): RecordResult {
  return { id, outcome: RouteOutcome.DUPLICATE, messageId };
}

function logKeys(item: Parsed): Record<string, string | undefined> {
  if (item.kind === 'request') {
    return {
      requestId: item.request.requestId,
      messageId: item.messageId,
      customerId: item.request.customerId,
    };
  }
  if (item.kind === 'fallback') return { messageId: item.messageId, customerId: item.fallback.customerId };
  return { requestId: item.requestId, messageId: item.messageId, customerId: item.customerId };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_.:@-]{1,128}$/.test(value);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
