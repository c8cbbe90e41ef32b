/**
 * AWS cost per message from counted requests, at on-demand us-east-1 list prices (checked
 * 2026-11-23; after any free tier). Sources:
 * - Lambda (arm64): $0.20 per 1M requests, $0.0000133334 per GB-second — https://aws.amazon.com/lambda/pricing/
 * - SQS standard: $0.40 per 1M requests, each 64 KB chunk of payload one request — https://aws.amazon.com/sqs/pricing/
 * - DynamoDB on-demand: $0.625 per 1M write request units, $0.125 per 1M read request units; a GSI
 *   write is a write unit of its own — https://aws.amazon.com/dynamodb/pricing/on-demand/
 * - SNS standard topic: $0.50 per 1M publishes (64 KB chunks); deliveries to subscribers are theirs —
 *   https://aws.amazon.com/sns/pricing/
 * - API Gateway HTTP API (webhooks): $1.00 per 1M requests (first 300M a month) — https://aws.amazon.com/api-gateway/pricing/
 * Provider fees and CloudWatch logs are excluded, as the issue says.
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
} as const;

/** Lambda memory of every function (infra/constructs/switchboard-function.ts default). */
export const LAMBDA_MEMORY_MB = 512;

/** What a run used, in totals. */
export interface Usage {
  readonly calls: readonly CallCount[];
  /** Lambda invocations and summed handler duration (ms), by function. */
  readonly lambda: ReadonlyMap<string, { invocations: number; durationMs: number }>;
  /** Webhook requests through the HTTP API. */
  readonly httpRequests: number;
}

/** Cost per million messages, by service. */
export interface CostPerMillion {
  readonly lambda: number;
  /** Of `lambda`, the part billed for duration (GB-seconds). */
  readonly lambdaCompute: number;
  readonly sqs: number;
  readonly dynamodb: number;
  readonly sns: number;
  readonly httpApi: number;
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
  const httpApi = usage.httpRequests * PRICES.httpApiRequest * scale;
  return {
    lambda,
    lambdaCompute,
    sqs,
    dynamodb,
    sns,
    httpApi,
    total: lambda + sqs + dynamodb + sns + httpApi,
  };
}

/**
 * The floor: the fewest requests any design needs for one message through the router at batch
 * size 10 (DESIGN.md, "Cost is a feature"), with the measured Lambda duration left out:
 * - publish: 1/10 SendMessageBatch;
 * - router: 1/10 ReceiveMessage + 1/10 DeleteMessageBatch (the event source), 1/10 Lambda invocation,
 *   1 RRU (one BatchGetItem of ten customers, strongly consistent because consent may have just
 *   changed, items under 4 KB), 2 WRU for the message record (the item and its timeline GSI entry,
 *   which the timeline API needs), 1/10 SendMessageBatch;
 * - per channel sender (when it runs): 1/10 ReceiveMessage + 1/10 DeleteMessageBatch, 1/10 Lambda
 *   invocation, 1 WRU lease, 1 WRU + 1 GSI WRU for the send record;
 * - per status callback (webhook): 1 HTTP API request, 1 Lambda invocation, 0.5 RRU GSI lookup,
 *   1 WRU status write, 1 SNS publish.
 */
export function floorPerMillion(stages: { senders: boolean; callbacksPerMessage: number }): CostPerMillion {
  const m = 1e6;
  let sqsRequests = 0.1 + 0.2 + 0.1;
  let lambdaInvocations = 0.1;
  let writeUnits = 2;
  let readUnits = 1;
  let sns = 0;
  let http = 0;
  if (stages.senders) {
    sqsRequests += 0.2;
    lambdaInvocations += 0.1;
    writeUnits += 3;
  }
  const callbacks = stages.callbacksPerMessage;
  http += callbacks;
  lambdaInvocations += callbacks;
  readUnits += 0.5 * callbacks;
  writeUnits += callbacks;
  sns += callbacks;
  const lambda = lambdaInvocations * PRICES.lambdaRequest * m;
  const sqsCost = sqsRequests * PRICES.sqsRequest * m;
  const dynamodb = (writeUnits * PRICES.dynamodbWriteUnit + readUnits * PRICES.dynamodbReadUnit) * m;
  const snsCost = sns * PRICES.snsPublish * m;
  const httpApi = http * PRICES.httpApiRequest * m;
  return {
    lambda,
    lambdaCompute: 0,
    sqs: sqsCost,
    dynamodb,
    sns: snsCost,
    httpApi,
    total: lambda + sqsCost + dynamodb + snsCost + httpApi,
  };
}
