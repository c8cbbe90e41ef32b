/**
 * AWS cost per message from counted requests, at on-demand us-east-1 list prices (checked
 * 2026-11-23; after any free tier). Sources:
 * - Lambda (arm64): $0.20 per 1M requests, $0.0000133334 per GB-second — https://aws.amazon.com/lambda/pricing/
 * - SQS standard: $0.40 per 1M requests, each 64 KB chunk of payload one request — https://aws.amazon.com/sqs/pricing/
 * - DynamoDB on-demand: $0.625 per 1M write request units, $0.125 per 1M read request units; a GSI
 *   write is a write unit of its own — https://aws.amazon.com/dynamodb/pricing/on-demand/
 * - SNS standard topic: $0.50 per 1M publishes (64 KB chunks); deliveries to subscribers are theirs —
 *   https://aws.amazon.com/sns/pricing/
 * - Webhooks: Lambda function URLs, billed as the function's invocations and duration with no charge
 *   of their own ("There is no additional charge for using function URLs") — https://aws.amazon.com/lambda/pricing/
 *   (an API Gateway HTTP API in front would add $1.00 per 1M requests — https://aws.amazon.com/api-gateway/pricing/;
 *   `PRICES.httpApiRequest` is kept to show that difference and prices `/v1` API calls where a bench
 *   counts them, e.g. `POST /v1/events` in bench/touchpoints.ts; they are not in a message's cost).
 * - DynamoDB Streams read by Lambda: free ("GetRecords API calls invoked by AWS Lambda as part of
 *   DynamoDB triggers are free") — https://aws.amazon.com/dynamodb/pricing/on-demand/; the
 *   `ledger-stream` function's invocations are billed as any Lambda's (counted in `usage.lambda`,
 *   one per non-empty batch, as the local stream source invokes it), its SNS publishes and fallback
 *   sends as any others. The counter names stream reads `DynamoDB Streams`, which no price matches.
 * - EventBridge Scheduler: $1.00 per 1M scheduled invocations (after 14M free a month; us-east-1),
 *   each 256 KB payload one invocation; creating and deleting schedules (CreateSchedule,
 *   DeleteSchedule) has no charge of its own: the pricing bills invocations only (checked 2026-12-05)
 *   — https://aws.amazon.com/eventbridge/pricing/ ("Scheduler" tab). A schedule whose target is an SQS
 *   queue sends its message with SendMessage, billed to the queue as any SQS request.
 * Provider fees and CloudWatch logs are excluded: they do not depend on how Switchboard is built.
 */
import type { CallCount } from './aws-requests';

/** Prices in USD. */
export const PRICES = {
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  sqsRequest: 0.4 / 1e6,
  dynamodbWriteUnit: 0.625 / 1e6,
  dynamodbReadUnit: 0.125 / 1e6,
  snsPublish: 0.5 / 1e6,
  httpApiRequest: 1.0 / 1e6,
  functionUrlRequest: 0,
  schedulerInvocation: 1.0 / 1e6,
  schedulerApiRequest: 0,
} as const;

/** The counted call of an EventBridge Scheduler invocation (a schedule firing), service `Scheduler`. */
export const SCHEDULER_INVOCATION = 'Invocation';

/** Lambda memory of every function (infra/constructs/switchboard-function.ts default). */
export const LAMBDA_MEMORY_MB = 512;

/** What a run used, in totals. */
export interface Usage {
  readonly calls: readonly CallCount[];
  /** Lambda invocations and summed handler duration (ms), by function. */
  readonly lambda: ReadonlyMap<string, { invocations: number; durationMs: number }>;
  /** Webhook requests (Lambda function URLs in AWS: no charge beyond the invocation, already counted). */
  readonly httpRequests: number;
  /** Requests through the API Gateway HTTP API (`/v1`, e.g. `POST /v1/events`): $1.00 per 1M each. */
  readonly httpApiRequests?: number;
}

/** Cost per million messages, by service. */
export interface CostPerMillion {
  readonly lambda: number;
  /** Of `lambda`, the part billed for duration (GB-seconds). */
  readonly lambdaCompute: number;
  readonly sqs: number;
  readonly dynamodb: number;
  readonly sns: number;
  /**
   * HTTP requests' own charge: 0 for webhooks on function URLs (the invocation is in `lambda`),
   * `PRICES.httpApiRequest` for each request through the API Gateway HTTP API.
   */
  readonly httpApi: number;
  /** EventBridge Scheduler: invocations (API calls are free). */
  readonly scheduler: number;
  readonly total: number;
}

/** The cost per million messages the usage of `messages` messages implies. */
export function costPerMillion(usage: Usage, messages: number): CostPerMillion {
  const scale = 1e6 / Math.max(1, messages);
  let invocations = 0;
  let gbSeconds = 0;
  for (const { invocations: count, durationMs } of usage.lambda.values()) {
    invocations += count;
    // Lambda bills each invocation's duration rounded up to the millisecond.
    gbSeconds += (Math.ceil(durationMs) / 1000) * (LAMBDA_MEMORY_MB / 1024);
  }
  const sum = (service: string, pick: (call: CallCount) => number) =>
    usage.calls.filter((call) => call.service === service).reduce((total, call) => total + pick(call), 0);
  const lambdaCompute = gbSeconds * PRICES.lambdaGbSecond * scale;
  const lambda = invocations * PRICES.lambdaRequest * scale + lambdaCompute;
  const sqs = sum('SQS', (call) => call.chunks) * PRICES.sqsRequest * scale;
  const dynamodb =
    (sum('DynamoDB', (call) => call.writeUnits) * PRICES.dynamodbWriteUnit +
      sum('DynamoDB', (call) => call.readUnits) * PRICES.dynamodbReadUnit) *
    scale;
  const sns = sum('SNS', (call) => call.chunks) * PRICES.snsPublish * scale;
  const scheduler =
    sum('Scheduler', (call) =>
      call.call === SCHEDULER_INVOCATION
        ? call.requests * PRICES.schedulerInvocation
        : call.requests * PRICES.schedulerApiRequest,
    ) * scale;
  // Webhooks are Lambda function URLs: the invocation is billed (counted in `lambda`), the URL is free.
  const httpApi =
    (usage.httpRequests * PRICES.functionUrlRequest + (usage.httpApiRequests ?? 0) * PRICES.httpApiRequest) *
    scale;
  return {
    lambda,
    lambdaCompute,
    sqs,
    dynamodb,
    sns,
    httpApi,
    scheduler,
    total: lambda + sqs + dynamodb + sns + httpApi + scheduler,
  };
}

/** What the floor is computed for: which stages ran and how many callbacks and checks a message had. */
export interface FloorStages {
  /** Whether the channel senders ran (else the router stage alone). */
  readonly senders: boolean;
  /**
   * Provider callbacks per message that carry news the ledger does not have yet (`delivered`,
   * `read`, a failure): each needs a write and an event.
   */
  readonly usefulCallbacksPerMessage: number;
  /**
   * Callbacks per message that carry nothing new (Twilio's `sent` after the sender recorded `sent`,
   * SendGrid's `processed`, a provider's retry of one already applied): each still costs the
   * invocation the provider's request causes.
   */
  readonly redundantCallbacksPerMessage: number;
  /** Receipt-timeout checks per message (requests with `routing.receiptTimeoutSeconds`). */
  readonly receiptChecksPerMessage?: number;
}

/**
 * The floor: the fewest requests any design needs for one message at batch size 10 (DESIGN.md,
 * "Cost is a feature"), with the measured Lambda duration left out:
 * - publish: 1/10 SendMessageBatch;
 * - router: 1/10 ReceiveMessage + 1/10 DeleteMessageBatch (the event source), 1/10 Lambda invocation,
 *   1 RRU (one BatchGetItem of ten customers, strongly consistent because consent may have just
 *   changed, items under 4 KB), 2 WRU for the message record (the item and its timeline GSI entry,
 *   which the timeline API needs), 1/10 SendMessageBatch;
 * - per channel sender (when it runs): 1/10 ReceiveMessage + 1/10 DeleteMessageBatch, 1/10 Lambda
 *   invocation, 1 WRU lease (the double-send guard), 1 WRU send record (the attempt is on no index);
 * - per useful status callback: 1 Lambda invocation (function URL: no request charge), 1 WRU status
 *   write; per redundant callback: 1 Lambda invocation;
 * - the outbox (the ledger's stream consumer): 1/10 Lambda invocation per stream record (the
 *   message item, and with senders the lease and the `sent` write, and each useful callback's
 *   write) and 1/10 SNS publish per event (one per useful callback: PublishBatch of ten); the
 *   stream reads themselves are free;
 * - per receipt check: 1/10 SendMessageBatch, 1/10 ReceiveMessage, 1/10 DeleteMessageBatch, 1/10
 *   Lambda invocation, 0.5 RRU (an eventually consistent read of the attempt).
 */
export function floorPerMillion(stages: FloorStages): CostPerMillion {
  let sqsRequests = 0.1 + 0.2 + 0.1;
  let lambdaInvocations = 0.1;
  let writeUnits = 2;
  let readUnits = 1;
  if (stages.senders) {
    sqsRequests += 0.2;
    lambdaInvocations += 0.1;
    writeUnits += 2;
  }
  const useful = stages.usefulCallbacksPerMessage;
  const redundant = stages.redundantCallbacksPerMessage;
  lambdaInvocations += useful + redundant;
  writeUnits += useful;
  const streamRecords = 1 + (stages.senders ? 2 : 0) + useful;
  lambdaInvocations += streamRecords / 10;
  const sns = useful / 10;
  const checks = stages.receiptChecksPerMessage ?? 0;
  sqsRequests += 0.3 * checks;
  lambdaInvocations += 0.1 * checks;
  readUnits += 0.5 * checks;
  return priceRequests({ lambdaInvocations, sqsRequests, writeUnits, readUnits, snsPublishes: sns });
}

/** Requests per unit of work, for {@link priceRequests}. */
export interface RequestCounts {
  readonly lambdaInvocations: number;
  readonly sqsRequests: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly snsPublishes?: number;
  readonly httpApiRequests?: number;
  readonly schedulerInvocations?: number;
}

/** What requests per unit of work cost per million units (no Lambda duration): the floors' pricing. */
export function priceRequests(counts: RequestCounts): CostPerMillion {
  const m = 1e6;
  const lambda = counts.lambdaInvocations * PRICES.lambdaRequest * m;
  const sqs = counts.sqsRequests * PRICES.sqsRequest * m;
  const dynamodb =
    (counts.writeUnits * PRICES.dynamodbWriteUnit + counts.readUnits * PRICES.dynamodbReadUnit) * m;
  const sns = (counts.snsPublishes ?? 0) * PRICES.snsPublish * m;
  const httpApi = (counts.httpApiRequests ?? 0) * PRICES.httpApiRequest * m;
  const scheduler = (counts.schedulerInvocations ?? 0) * PRICES.schedulerInvocation * m;
  return {
    lambda,
    lambdaCompute: 0,
    sqs,
    dynamodb,
    sns,
    httpApi,
    scheduler,
    total: lambda + sqs + dynamodb + sns + httpApi + scheduler,
  };
}

/** What the floor needs to know of one webhook request. */
export interface WebhookRequestShape {
  readonly rawPath: string;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** Statuses a sender has already recorded when the provider accepts: callbacks saying them are no news. */
const NO_NEWS_STATUSES = new Set(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'processed']);

/**
 * Whether a webhook request carries news (a status the ledger does not have yet) for the floor
 * model: a Twilio status callback other than queued/sent, a SendGrid batch with any event other
 * than `processed`, any inbound message. A repeat of news already seen (a provider retry) is none;
 * `seen` remembers what was.
 */
export function carriesNews(request: WebhookRequestShape, seen: Set<string>): boolean {
  const raw = request.body ?? '';
  const body = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (request.rawPath.endsWith('/twilio/status')) {
    const form = new URLSearchParams(body);
    const status = (form.get('MessageStatus') ?? '').toLowerCase();
    const key = `${form.get('MessageSid')}:${status}`;
    if (NO_NEWS_STATUSES.has(status) || seen.has(key)) return false;
    seen.add(key);
    return true;
  }
  if (request.rawPath.endsWith('/sendgrid/events')) {
    let events: unknown;
    try {
      events = JSON.parse(body);
    } catch {
      return false;
    }
    if (!Array.isArray(events)) return false;
    let news = false;
    for (const event of events as { event?: string; sg_event_id?: string }[]) {
      const key = `${event.sg_event_id}`;
      if (!event.event || NO_NEWS_STATUSES.has(event.event) || seen.has(key)) continue;
      seen.add(key);
      news = true;
    }
    return news;
  }
  return true;
}
