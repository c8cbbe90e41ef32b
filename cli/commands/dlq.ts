/**
 * `switchboard dlq list [queue]` and `switchboard dlq redrive <queue>` on the local runtime: what
 * failed for good on each queue, and moving it back to be processed again once fixed.
 */
import { parseArgs } from 'node:util';
import { type QueueKey, queues } from '../../infra/resources';
import { listDeadLetters, redriveDeadLetters } from '../../local/dlq';
import type { Command } from '../command';
import { localSqs, requireLocal, resolveTarget, TARGET_OPTIONS, UsageError } from '../target';

const KEYS = queues.map((q) => q.key) as QueueKey[];

/** The `dlq` command. */
export const dlqCommand: Command = {
  summary: 'list or redrive dead-letter queues on the local runtime',
  async run(args, io) {
    const [action, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { ...TARGET_OPTIONS, json: { type: 'boolean' } },
    });
    const local = requireLocal(resolveTarget(values), 'dlq');
    const queue = positionals[0] as QueueKey | undefined;
    if (queue && !KEYS.includes(queue))
      throw new UsageError(`unknown queue "${queue}" (one of ${KEYS.join(', ')})`);
    const sqs = localSqs(local);
    try {
      if (action === 'list') {
        let total = 0;
        for (const key of queue ? [queue] : KEYS) {
          const letters = await listDeadLetters(sqs, local.queues[`${key}Dlq`]);
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
        return 0;
      }
      if (action === 'redrive') {
        if (!queue) throw new UsageError(`dlq redrive <queue> (one of ${KEYS.join(', ')})`);
        const result = await redriveDeadLetters(sqs, {
          deadLetterQueueUrl: local.queues[`${queue}Dlq`],
          sourceQueueUrl: local.queues[queue],
        });
        io.out(
          `${queue}: moved ${result.moved} back${result.failed ? `, ${result.failed} failed (left in the DLQ)` : ''}`,
        );
        return result.failed > 0 ? 1 : 0;
      }
      throw new UsageError('dlq list [queue] | dlq redrive <queue>');
    } finally {
      sqs.destroy();
    }
  },
};
