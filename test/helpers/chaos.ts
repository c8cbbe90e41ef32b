/** The chaos suite's run: the load benchmark on the test emulators, small N, faults injected. */

import { appendFileSync } from 'node:fs';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { type FaultWindow, FaultySender } from '../../bench/lib/faults';
import { describeReconciliation } from '../../bench/lib/reconcile';
import { type ChaosOptions, type LoadOptions, type LoadResult, runLoad } from '../../bench/load';
import { SenderEnv } from '../../functions/config';
import type { Channel } from '../../functions/contract';
import type { ChannelSender } from '../../functions/domain/ports';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients, testEndpoints } from './emulators';
import { subscribedQueue } from './topic-subscription';

/** Messages per chaos run (`CHAOS_N`, 200 unless set; CI uses less). */
export const N = Number(process.env.CHAOS_N ?? 200);

/** Seconds a channel stays down in the channel-down scenario (`CHAOS_DOWN_SECONDS`, 60 unless set). */
export const DOWN_SECONDS = Number(process.env.CHAOS_DOWN_SECONDS ?? 60);

/**
 * The end-to-end scenarios' timing. Failed records come back after {@link VISIBILITY_SECONDS}
 * instead of minutes; the send lease is one second shorter, as in the stack (lease = function
 * timeout < visibility timeout), so the first redelivery after a crash finds it expired; a sender
 * gives a channel up on the {@link MAX_RETRYABLE_FAILURES}-th try instead of the 7th.
 */
export const VISIBILITY_SECONDS = 5;
export const LEASE_SECONDS = 4;
export const MAX_RETRYABLE_FAILURES = 3;

/** Load settings a scenario may change. */
export type ChaosLoad = Partial<Pick<LoadOptions, 'n' | 'rate' | 'deadlineSeconds'>> & {
  readonly emulators?: LocalResources;
};

/** Publishes N requests with the faults in `chaos`, waits for the queues to drain, reconciles. */
export async function chaosRun(
  chaos: ChaosOptions,
  handlers?: readonly string[],
  load: ChaosLoad = {},
): Promise<LoadResult> {
  const endToEnd = !handlers || handlers.some((file) => file.startsWith('send-'));
  // The senders read these when the runtime builds them (channelConsumerConfigFromEnv).
  process.env[SenderEnv.LEASE_SECONDS] = String(LEASE_SECONDS);
  process.env[SenderEnv.MAX_RETRYABLE_FAILURES] = String(MAX_RETRYABLE_FAILURES);
  const n = load.n ?? N;
  const result = await runLoad({
    ...(handlers ? { handlers } : {}),
    n,
    customers: Math.min(100, n),
    deadlineSeconds: load.deadlineSeconds ?? 240,
    ...(load.rate ? { rate: load.rate } : {}),
    emulators: { ...testEndpoints(), ...(load.emulators ?? (await isolatedResources())) },
    chaos: { visibilityTimeoutSeconds: endToEnd ? VISIBILITY_SECONDS : 3, ...chaos },
  });
  // The reconciliation's own words, so a failure says which message and why.
  if (!result.reconciliation.ok) console.error(describeReconciliation(result.reconciliation).join('\n'));
  return result;
}

/** Faulty senders for some channels, with what they injected, for a {@link ChaosOptions.wrapSender}. */
export interface ChaosSenders {
  readonly wrapSender: (sender: ChannelSender) => ChannelSender;
  /** Every attempt a crash was injected into (for the reconciliation's crash window). */
  readonly crashWindow: () => ReadonlySet<string>;
  /** Sends each fault kind hit, over every faulty sender. */
  readonly injected: () => Record<string, number>;
}

/**
 * Wraps the senders of `channels` in {@link FaultySender}s with `windows`; the others pass
 * through. Random shares come from a seeded generator, so a run injects the same pattern each time.
 */
export function faultySenders(
  channels: readonly Channel[],
  windows: readonly FaultWindow[],
  seed = 9,
): ChaosSenders {
  const made: FaultySender[] = [];
  const random = seededRandom(seed);
  return {
    wrapSender: (sender) => {
      if (!channels.includes(sender.channel)) return sender;
      const faulty = new FaultySender(sender, windows, { random });
      made.push(faulty);
      return faulty;
    },
    crashWindow: () => new Set(made.flatMap((sender) => [...sender.crashed])),
    injected: () => {
      const total: Record<string, number> = {};
      for (const sender of made) {
        for (const [kind, count] of Object.entries(sender.injected)) {
          if (count > 0) total[kind] = (total[kind] ?? 0) + count;
        }
      }
      return total;
    },
  };
}

/** mulberry32: a small seeded generator, enough to pick which sends get a fault. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Messages whose ledger holds attempts on more than one channel (they fell back). */
export function fallbacksOf(result: LoadResult): number {
  const channels = new Map<string, Set<Channel>>();
  for (const attempt of result.ledger.attempts) {
    const seen = channels.get(attempt.messageId) ?? new Set<Channel>();
    seen.add(attempt.channel);
    channels.set(attempt.messageId, seen);
  }
  return [...channels.values()].filter((seen) => seen.size > 1).length;
}

/** Records the queue consumers received again after a failure or a visibility timeout (SQS retries). */
export function retriesOf(result: LoadResult): number {
  return [...result.retriedRecords.values()].reduce((sum, count) => sum + count, 0);
}

/** One row of the chaos results table. */
export interface ChaosRow {
  readonly scenario: string;
  readonly result: LoadResult;
  /** What was injected, in words (`5xx ×120`). */
  readonly injected: string;
  readonly seconds: number;
}

const HEADER =
  '| scenario | N | injected faults | SQS retries | fallbacks | crash-window duplicates | result | run time |\n' +
  '| --- | --- | --- | --- | --- | --- | --- | --- |';

/**
 * Prints the scenario's row of the results table (the one docs/BENCHMARKS.md quotes) and, with
 * `CHAOS_REPORT=<file>`, appends it there so a whole run's table can be collected.
 */
export function reportRow(row: ChaosRow): string {
  const { reconciliation } = row.result;
  const outcomes = Object.entries(reconciliation.outcomes)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  const verdict = reconciliation.ok
    ? `reconciled: ${outcomes}; 0 lost, 0 regressions, ${reconciliation.duplicateSends - reconciliation.duplicatesInCrashWindow} duplicates outside the window`
    : `FAILED: ${reconciliation.findings.length} findings (${[...new Set(reconciliation.findings.map((f) => f.kind))].join(', ')})`;
  const line = `| ${row.scenario} | ${reconciliation.published} | ${row.injected} | ${retriesOf(row.result)} | ${fallbacksOf(row.result)} | ${reconciliation.duplicatesInCrashWindow} | ${verdict} | ${row.seconds.toFixed(0)} s |`;
  // Why anything ended other than delivered: the ledger's last reason for each such message.
  const why = row.result.ledger.messages
    .filter((message) => !['delivered', 'sent', 'queued', 'read'].includes(message.status))
    .map(
      (message) =>
        `  ${message.messageId} ${message.status}: ${message.history.at(-1)?.reason ?? message.reasons.join('; ')}`,
    );
  console.log([`${HEADER}\n${line}`, ...why.slice(0, 10)].join('\n'));
  if (process.env.CHAOS_REPORT) appendFileSync(process.env.CHAOS_REPORT, `${line}\n`);
  return line;
}

/** `kind ×count` for each entry, or `none`. */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ×${count}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** Delivery events read from a queue subscribed to the events topic. */
export interface EventTap {
  /** Every event received so far: drains the queue until it stays empty. */
  drain(): Promise<{ type: string; eventId?: string; messageId?: string }[]>;
  close(): void;
}

/** Subscribes a new queue to `resources`' events topic (raw delivery), before a run starts. */
export async function tapEvents(resources: LocalResources): Promise<EventTap> {
  const clients = testClients();
  const { sqs } = clients;
  const queueUrl = await subscribedQueue(clients, resources.eventsTopicArn, { namePrefix: 'chaos-events' });
  const events: { type: string; eventId?: string; messageId?: string }[] = [];
  return {
    drain: async () => {
      for (let empty = 0; empty < 2; ) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        empty = Messages.length === 0 ? empty + 1 : 0;
        for (const message of Messages) events.push(JSON.parse(message.Body ?? '{}'));
      }
      return events;
    },
    close: () => clients.destroy(),
  };
}

/** How long a provider storm lasts from the first send (ms), and the share of sends it hits. */
export const STORM = { toMs: 12_000, share: 0.6 } as const;

/** A storm scenario's run: `fault` on a share of SMS sends for {@link STORM}, the result and counts. */
export async function stormRun(scenario: string, fault: FaultWindow['fault']) {
  const started = Date.now();
  const faults = faultySenders(['sms'], [{ fault, fromMs: 0, toMs: STORM.toMs, share: STORM.share }]);
  const result = await chaosRun({ wrapSender: faults.wrapSender });
  const gaveUp = result.ledger.attempts.filter(
    (attempt) => attempt.channel === 'sms' && attempt.error?.code === 'retries_exhausted',
  );
  reportRow({
    scenario,
    result,
    injected: countsText(faults.injected()),
    seconds: (Date.now() - started) / 1000,
  });
  return { result, injected: faults.injected(), gaveUp };
}
