/** What the benches ask of the emulators' queues to know the work is done (never counted: observers). */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Messages on a queue: visible, in flight and delayed (a delayed message is work still to come). */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/** Options of {@link waitUntilQuiet}. */
export interface QuietOptions {
  /** Work pending outside the queues (a stood-in scheduler's schedules): not quiet while above 0. */
  readonly pending?: () => number;
  /** Called about every 30 s while waiting. */
  readonly progress?: () => void;
}

/**
 * Waits until the queues are empty, nothing is pending and no handler has run for two seconds (the
 * stream consumers included). Whether it got quiet before the deadline.
 */
export async function waitUntilQuiet(
  sqs: SQSClient,
  queueUrls: readonly string[],
  lambda: ReadonlyMap<string, { invocations: number }>,
  deadline: number,
  options: QuietOptions = {},
): Promise<boolean> {
  const invocations = () => [...lambda.values()].reduce((sum, tally) => sum + tally.invocations, 0);
  let last = invocations();
  let quietSince = Date.now();
  let lastProgress = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = invocations();
    if (options.progress && Date.now() - lastProgress > 30_000) {
      lastProgress = Date.now();
      options.progress();
    }
    if (now !== last) {
      last = now;
      quietSince = Date.now();
      continue;
    }
    if ((options.pending?.() ?? 0) > 0) continue;
    const depths = await Promise.all(queueUrls.map((url) => queueDepth(sqs, url)));
    if (depths.every((depth) => depth === 0) && Date.now() - quietSince > 2000) return true;
  }
  return false;
}
