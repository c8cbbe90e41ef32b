/**
 * The console's delivery funnel and failure reasons, read from the ledger (the messages table), so
 * that they are right whichever provider sent — the sandbox or a real one. Local only: a table
 * scan, fine for a developer's machine, not for production volumes.
 *
 * Every attempt the router planned counts as `queued` (the message's `attempts` list names it even
 * before its channel sender writes the attempt item); an attempt item counts at every stage its
 * history reached, and as failed when its status is a failure.
 */
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { CHANNELS, type Channel, FAILURE_STATUSES, type MessageStatus } from '../functions/contract';

/** The stages of the per-channel funnel, in order. */
export const FUNNEL_STAGES = ['queued', 'sent', 'delivered', 'read'] as const;
/** One funnel stage. */
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** Statuses that mean a stage was reached (a later stage implies the earlier ones). */
const REACHED: Record<Exclude<FunnelStage, 'queued'>, readonly MessageStatus[]> = {
  sent: ['sent', 'delivered', 'read', 'opened', 'clicked'],
  delivered: ['delivered', 'read', 'opened', 'clicked'],
  read: ['read', 'opened', 'clicked'],
};

/** Failed attempts sharing a channel, provider and error code. */
export interface FailureReason {
  readonly channel: Channel;
  /** The provider that failed it; absent when the attempt failed before any provider took it. */
  readonly provider?: string;
  /** The provider's error code or Switchboard's reason, e.g. `21211`, `30003`, `UNREGISTERED`. */
  readonly code: string;
  /** The status the attempt ended in: failed, undelivered, bounced or dropped. */
  readonly status: MessageStatus;
  /** One of the messages given for this code (they rarely differ). */
  readonly message?: string;
  readonly count: number;
}

/** The funnel and failures as the console shows them. */
export interface DeliveryStats {
  readonly source: 'ledger';
  readonly stages: typeof FUNNEL_STAGES;
  /** Per channel, attempts that reached each stage, and failed ones. */
  readonly channels: Record<Channel, Record<FunnelStage | 'failed', number>>;
  /** Most frequent first. */
  readonly failures: readonly FailureReason[];
}

interface AttemptItem {
  readonly messageId: string;
  readonly channel: Channel;
  readonly attempt: number;
  readonly status: MessageStatus;
  readonly history?: readonly { status: MessageStatus }[];
  readonly provider?: string;
  readonly error?: { code?: string; message?: string };
}

/** Reads every message and attempt of the messages table and counts them. */
export async function readDeliveryStats(dynamodb: DynamoDBClient, tableName: string): Promise<DeliveryStats> {
  const planned = new Map<string, { messageId: string; channel: Channel; attempt: number }>();
  const attempts = new Map<string, AttemptItem>();
  let startKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: tableName,
        // Only the few attributes counted here: message items carry whole requests.
        ProjectionExpression:
          'sk, kind, messageId, channel, attempt, #status, history, provider, #error, attempts',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      const sk = String(item.sk ?? '');
      if (item.kind === 'attempt') {
        const attempt = item as unknown as AttemptItem;
        attempts.set(attemptId(attempt), attempt);
      } else if (/^message#[^#]+$/.test(sk) && Array.isArray(item.attempts)) {
        const messageId = sk.slice('message#'.length);
        for (const ref of item.attempts as { channel: Channel; attempt: number }[]) {
          const key = { messageId, channel: ref.channel, attempt: ref.attempt };
          planned.set(attemptId(key), key);
        }
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return countStats(planned, attempts);
}

function countStats(
  planned: Map<string, { channel: Channel }>,
  attempts: Map<string, AttemptItem>,
): DeliveryStats {
  const channels = Object.fromEntries(
    CHANNELS.map((channel) => [channel, { queued: 0, sent: 0, delivered: 0, read: 0, failed: 0 }]),
  ) as Record<Channel, Record<FunnelStage | 'failed', number>>;
  const failures = new Map<string, FailureReason>();
  for (const [id, ref] of planned) {
    if (!attempts.has(id) && channels[ref.channel]) channels[ref.channel].queued++;
  }
  for (const attempt of attempts.values()) {
    const counts = channels[attempt.channel];
    if (!counts) continue;
    counts.queued++;
    const seen = new Set<MessageStatus>([attempt.status, ...(attempt.history ?? []).map((c) => c.status)]);
    for (const stage of ['sent', 'delivered', 'read'] as const) {
      if (REACHED[stage].some((status) => seen.has(status))) counts[stage]++;
    }
    if (!FAILURE_STATUSES.includes(attempt.status)) continue;
    counts.failed++;
    const code = attempt.error?.code ?? 'unknown';
    const key = [attempt.channel, attempt.provider ?? '', code, attempt.status].join('\u0000');
    const previous = failures.get(key);
    failures.set(key, {
      channel: attempt.channel,
      ...(attempt.provider ? { provider: attempt.provider } : {}),
      code,
      status: attempt.status,
      ...((previous?.message ?? attempt.error?.message)
        ? { message: previous?.message ?? attempt.error?.message }
        : {}),
      count: (previous?.count ?? 0) + 1,
    });
  }
  return {
    source: 'ledger',
    stages: FUNNEL_STAGES,
    channels,
    failures: [...failures.values()].sort(
      (a, b) => b.count - a.count || a.channel.localeCompare(b.channel) || a.code.localeCompare(b.code),
    ),
  };
}

function attemptId(key: { messageId: string; channel: string; attempt: number }): string {
  return `${key.messageId}#${key.attempt}#${key.channel}`;
}
