/**
 * `switchboard dlq list [queue]` and `switchboard dlq redrive <queue>`: what failed for good on each
 * queue, and moving it back to be processed again once fixed. On the local runtime the queue URLs
 * come from local.json; on a deployed stack from its outputs (`<Key>QueueUrl`, or `--queue-url
 * key=URL`), each DLQ found through its queue's redrive policy, with the caller's AWS credentials.
 */
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueKey } from '../../infra/resources';
import { listDeadLetters, redriveDeadLetters } from '../../local/dlq';
import type { Command } from '../command';
import {
  localSqs,
  QUEUE_KEYS,
  type QueuePair,
  queueUrlOutput,
  remoteQueue,
  resolveTarget,
  TARGET_OPTIONS,
  UsageError,
} from '../target';

/** The `dlq` command. */
export const dlqCommand: Command = {
  summary: 'list or redrive dead-letter queues (local runtime or deployed stack)',
  async run(args, io) {
    const [action, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        ...TARGET_OPTIONS,
        json: { type: 'boolean' },
        'queue-url': { type: 'string', multiple: true },
      },
    });
    if (action !== 'list' && action !== 'redrive')
      throw new UsageError('dlq list [queue] | dlq redrive <queue>');
    const queue = positionals[0] as QueueKey | undefined;
    if (queue && !QUEUE_KEYS.includes(queue))
      throw new UsageError(`unknown queue "${queue}" (one of ${QUEUE_KEYS.join(', ')})`);
    if (action === 'redrive' && !queue)
      throw new UsageError(`dlq redrive <queue> (one of ${QUEUE_KEYS.join(', ')})`);
    const target = resolveTarget(values);
    const overrides = parseQueueUrls(values['queue-url'] ?? []);
    const { local, remote } = target;
    const sqs = local ? localSqs(local) : new SQSClient({ region: remote?.region });
    // The queues to look at, with their DLQs; a deployed queue whose URL is unknown is undefined.
    const find = async (key: QueueKey): Promise<QueuePair | undefined> =>
      local
        ? { url: local.queues[key], dlqUrl: local.queues[`${key}Dlq`] }
        : remoteQueue(sqs, remote as NonNullable<typeof remote>, key, overrides);
    const unknown = (key: QueueKey) =>
      `the ${key} queue's URL is not in the stack outputs (${queueUrlOutput(key)}); pass --queue-url ${key}=URL`;
    try {
      if (action === 'list') {
        let total = 0;
        const missing: QueueKey[] = [];
        for (const key of queue ? [queue] : QUEUE_KEYS) {
          const pair = await find(key);
          if (!pair) {
            if (queue) throw new UsageError(unknown(key));
            missing.push(key);
            continue;
          }
          const letters = await listDeadLetters(sqs, pair.dlqUrl);
          total += letters.length;
          if (letters.length === 0 && !queue) continue;
          io.out(`${key}: ${letters.length} dead letter${letters.length === 1 ? '' : 's'}`);
          for (const letter of letters) {
            io.out(
              values.json
                ? letter.body
                : `  ${letter.messageId} received ${letter.receiveCount}x  ${letter.body.slice(0, 100)}`,
            );
          }
        }
        if (total === 0 && !queue) io.out('no dead letters');
        if (missing.length > 0) {
          io.err(
            `not listed: ${missing.join(', ')} (their URLs are not in the stack outputs; pass --queue-url KEY=URL)`,
          );
        }
        return 0;
      }
      const key = queue as QueueKey;
      const pair = await find(key);
      if (!pair) throw new UsageError(unknown(key));
      const result = await redriveDeadLetters(sqs, {
        deadLetterQueueUrl: pair.dlqUrl,
        sourceQueueUrl: pair.url,
      });
      io.out(
        `${key}: moved ${result.moved} back${result.failed ? `, ${result.failed} failed (left in the DLQ)` : ''}`,
      );
      return result.failed > 0 ? 1 : 0;
    } finally {
      sqs.destroy();
    }
  },
};

function parseQueueUrls(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const match = /^([a-z]+)=(.+)$/.exec(value);
    if (!match || !QUEUE_KEYS.includes(match[1] as QueueKey)) {
      throw new UsageError(`--queue-url takes KEY=URL with KEY one of ${QUEUE_KEYS.join(', ')}`);
    }
    out[match[1] as string] = match[2] as string;
  }
  return out;
}
