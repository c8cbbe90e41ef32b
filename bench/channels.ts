/**
 * `npm run bench:channels`: replays the simulated population of bench/channels/population.ts
 * through the real decision module (no AWS), and compares three policies on the same customers and
 * the same outcome draws: `preferred` (her stated first channel that is allowed), `learned`
 * (chooseChannel with its default settings, learning from its own outcomes through the real counters
 * and sharded population rates) and an oracle that knows the hidden propensities and maximises the
 * same objective. Prints a table and writes docs/channel-choice-regret.svg. Seeded: same numbers on
 * every run. Usage: npm run bench:channels [-- customers]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Channel } from '../functions/contract';
import {
  applyEngagementEvent,
  applyPopulationEvent,
  type ChannelChoiceSettings,
  type ChannelEngagement,
  type CustomerEngagement,
  chooseChannel,
  DEFAULT_CHANNEL_CHOICE_SETTINGS,
  DEFAULT_POPULATION_SHARDS,
  type EngagementEvent,
  mergeShards,
  type PopulationCounts,
  populationKey,
  populationShard,
  type RandomSource,
  seededRandom,
} from '../functions/domain/channel-choice';
import { drawCustomer, POPULATION, type Propensities, type SimulatedCustomer } from './channels/population';
import { lineChart } from './channels/svg-chart';

const SEED = 2026_12_05;
const DAY_MS = 86_400_000;
const START_MS = Date.parse('2026-01-05T09:00:00Z');
const POLICIES = ['preferred', 'learned', 'oracle'] as const;
type Policy = (typeof POLICIES)[number];
// CHANNEL_CHOICE_SETTINGS='{"maxExplorationShare":0.1}' tries other settings of the method (never of
// the population); such runs print their table but leave the docs' chart alone.
const overrides = JSON.parse(process.env.CHANNEL_CHOICE_SETTINGS ?? '{}') as Partial<ChannelChoiceSettings>;
const settings: ChannelChoiceSettings = { ...DEFAULT_CHANNEL_CHOICE_SETTINGS, ...overrides };

interface Tally {
  messages: number;
  engaged: number;
  conversions: number;
  cost: number;
  /** Expected worth lost against the oracle, per week. */
  regretByWeek: number[];
  messagesByWeek: number[];
}

const worth = (channel: Channel, propensities: Propensities) =>
  settings.engagementValue * (propensities.engagement[channel] ?? 0) +
  settings.conversionValue * (propensities.conversion[channel] ?? 0) -
  settings.costs[channel];

function oracleChoice(allowed: readonly Channel[], propensities: Propensities): Channel {
  return allowed.reduce((best, channel) =>
    worth(channel, propensities) > worth(best, propensities) ? channel : best,
  );
}

/** Counts until the learned choice stops changing: 1 + the index of its last change (0 if it never changed). */
function messagesUntilSettled(choices: readonly Channel[]): number {
  let last = 0;
  for (let index = 1; index < choices.length; index += 1)
    if (choices[index] !== choices[index - 1]) last = index;
  return last === 0 ? 0 : last + 1;
}

function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

function run(customerCount: number) {
  const weeks = POPULATION.messagesPerCustomer;
  const half = Math.floor(weeks / 2);
  const populationRandom = seededRandom(SEED);
  const customers: SimulatedCustomer[] = Array.from({ length: customerCount }, (_, index) =>
    drawCustomer(index, populationRandom),
  );
  const outcomeRandoms: RandomSource[] = customers.map((customer) => seededRandom(SEED + 1 + customer.index));
  const learnedRandom = seededRandom(SEED - 1);
  const engagement: CustomerEngagement[] = customers.map(() => ({}));
  const marketingChoices: Channel[][] = customers.map(() => []);
  const shards = new Map<string, Map<number, ChannelEngagement>>();
  const tallies = Object.fromEntries(
    POLICIES.map((policy) => [
      policy,
      {
        messages: 0,
        engaged: 0,
        conversions: 0,
        cost: 0,
        regretByWeek: new Array<number>(weeks).fill(0),
        messagesByWeek: new Array<number>(weeks).fill(0),
      },
    ]),
  ) as Record<Policy, Tally>;
  let undeliverable = 0;
  let decisionMs = 0;
  let decisions = 0;

  for (let week = 0; week < weeks; week += 1) {
    const nowMs = START_MS + week * POPULATION.daysBetweenMessages * DAY_MS;
    // The aggregator's job: merge the shards once per period; routing reads only the merged counts.
    const population: PopulationCounts = Object.fromEntries(
      [...shards].map(([key, parts]) => [key, mergeShards([...parts.values()], nowMs)]),
    );
    for (const customer of customers) {
      const random = outcomeRandoms[customer.index]!;
      const category = random() < POPULATION.marketingShare ? 'marketing' : 'transactional';
      // The same outcome draws for every policy (common random numbers).
      const engagementDraw = Object.fromEntries(customer.ranking.map((channel) => [channel, random()]));
      const conversionDraw = Object.fromEntries(customer.ranking.map((channel) => [channel, random()]));
      const allowed = customer.ranking.filter((channel) => customer.consented[category].has(channel));
      if (allowed.length === 0) {
        undeliverable += 1;
        continue;
      }
      const propensities = week < half ? customer.before : customer.after;
      const started = performance.now();
      const choice = chooseChannel({
        allowed,
        preference: customer.ranking,
        engagement: engagement[customer.index]!,
        population,
        category,
        nowMs,
        random: learnedRandom,
        settings,
      });
      decisionMs += performance.now() - started;
      decisions += 1;
      const oracle = oracleChoice(allowed, propensities);
      const chosen: Record<Policy, Channel> = { preferred: allowed[0]!, learned: choice.chosen!, oracle };
      // Settling is judged on the greedy channel (best at the posterior means), not on the draw,
      // which keeps exploring within its cap by design.
      const greedy = choice.evidence.reduce((best, item) => (item.worth > best.worth ? item : best));
      if (category === 'marketing') marketingChoices[customer.index]!.push(greedy.channel);
      for (const policy of POLICIES) {
        const channel = chosen[policy];
        const tally = tallies[policy];
        const engaged = (engagementDraw[channel] ?? 1) < (propensities.engagement[channel] ?? 0);
        const converted = (conversionDraw[channel] ?? 1) < (propensities.conversion[channel] ?? 0);
        tally.messages += 1;
        tally.messagesByWeek[week]! += 1;
        tally.engaged += engaged ? 1 : 0;
        tally.conversions += converted ? 1 : 0;
        tally.cost += settings.costs[channel];
        tally.regretByWeek[week]! += worth(oracle, propensities) - worth(channel, propensities);
        if (policy !== 'learned') continue;
        // What the ledger's stream consumer would count for the learned policy's message.
        const messageId = `msg-${customer.index}-${week}`;
        const events: EngagementEvent[] = [{ channel, kind: 'sent', atMs: nowMs }];
        if (engaged) events.push({ channel, kind: 'clicked', atMs: nowMs, firstForMessage: true });
        if (converted) events.push({ channel, kind: 'converted', atMs: nowMs, firstForMessage: true });
        const key = populationKey(channel, category);
        const parts = shards.get(key) ?? new Map<number, ChannelEngagement>();
        const shard = populationShard(messageId, DEFAULT_POPULATION_SHARDS);
        for (const event of events) {
          engagement[customer.index] = applyEngagementEvent(engagement[customer.index]!, event);
          parts.set(shard, applyPopulationEvent(parts.get(shard), event));
        }
        shards.set(key, parts);
      }
    }
  }
  const settled = customers
    .filter((customer) => customer.consented.marketing.size > 1)
    .map((customer) => messagesUntilSettled(marketingChoices[customer.index]!));
  return { tallies, undeliverable, settled, msPerDecision: decisionMs / Math.max(1, decisions), weeks, half };
}

function report(result: ReturnType<typeof run>, customerCount: number, seconds: number) {
  const { tallies, weeks, half } = result;
  const row = (policy: Policy) => {
    const tally = tallies[policy];
    return {
      policy,
      messages: tally.messages,
      engagedPerMessage: tally.engaged / tally.messages,
      conversionsPerMessage: tally.conversions / tally.messages,
      costPerMessage: tally.cost / tally.messages,
      costPerConversion: tally.cost / Math.max(1, tally.conversions),
      regretPerMessage: tally.regretByWeek.reduce((sum, value) => sum + value, 0) / tally.messages,
    };
  };
  const rows = POLICIES.map(row);
  console.log(
    `\nChannel choice: ${customerCount} customers × ${weeks} messages (seed ${SEED}), ${seconds.toFixed(1)} s\n`,
  );
  console.log(
    '| policy | messages | engaged / message | conversions / message | cost / message | cost / conversion | regret / message |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const item of rows) {
    console.log(
      `| ${item.policy} | ${item.messages} | ${item.engagedPerMessage.toFixed(4)} | ${item.conversionsPerMessage.toFixed(5)} | $${item.costPerMessage.toFixed(5)} | $${item.costPerConversion.toFixed(3)} | $${item.regretPerMessage.toFixed(5)} |`,
    );
  }
  const [preferred, learned] = rows as [ReturnType<typeof row>, ReturnType<typeof row>];
  const weekly = (policy: Policy) =>
    tallies[policy].regretByWeek.map(
      (value, week) => value / Math.max(1, tallies[policy].messagesByWeek[week] ?? 0),
    );
  const learnedWeekly = weekly('learned');
  const mean = (values: readonly number[]) =>
    values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const firstWeeks = mean(learnedWeekly.slice(0, 5));
  const beforeChange = mean(learnedWeekly.slice(half - 5, half));
  const afterChange = mean(learnedWeekly.slice(half, half + 5));
  const lastWeeks = mean(learnedWeekly.slice(-5));
  const engagedLift = learned.engagedPerMessage / preferred.engagedPerMessage - 1;
  console.log('');
  console.log(
    `engaged messages, learned vs preferred: ${(engagedLift * 100).toFixed(1)}% (bar: at least +20%)`,
  );
  console.log(
    `conversions per message, learned vs preferred: ${(learned.conversionsPerMessage / preferred.conversionsPerMessage - 1) * 100 > 0 ? '+' : ''}${((learned.conversionsPerMessage / preferred.conversionsPerMessage - 1) * 100).toFixed(1)}% (bar: more)`,
  );
  console.log(
    `cost per conversion, learned vs preferred: $${learned.costPerConversion.toFixed(3)} vs $${preferred.costPerConversion.toFixed(3)} (bar: no higher)`,
  );
  console.log(
    `learned regret per message: weeks 1-5 $${firstWeeks.toFixed(5)}, weeks ${half - 4}-${half} $${beforeChange.toFixed(5)}, weeks ${half + 1}-${half + 5} (after the change) $${afterChange.toFixed(5)}, last 5 weeks $${lastWeeks.toFixed(5)} (preferred: $${mean(weekly('preferred')).toFixed(5)} throughout)`,
  );
  console.log(
    `messages until the learned greedy channel settles (marketing, customers with 2+ channels, n=${result.settled.length}): median ${percentile(result.settled, 0.5)}, p75 ${percentile(result.settled, 0.75)}, p90 ${percentile(result.settled, 0.9)}; never changed: ${((result.settled.filter((value) => value === 0).length / Math.max(1, result.settled.length)) * 100).toFixed(1)}%`,
  );
  console.log(`messages with no channel allowed (all policies skip them): ${result.undeliverable}`);
  console.log(`decision time: ${result.msPerDecision.toFixed(3)} ms per learned choice`);
  const svg = lineChart(
    [
      { label: 'preferred', colour: '#d62728', values: weekly('preferred') },
      { label: 'learned', colour: '#1f77b4', values: learnedWeekly },
      { label: 'oracle', colour: '#2ca02c', values: weekly('oracle') },
    ],
    {
      title: `Regret against the oracle, per message ($), ${customerCount} customers`,
      xLabel: 'message (one a week)',
      yLabel: 'expected worth lost per message ($)',
      marker: { at: half + 1, caption: 'best channel changes for 20%' },
    },
  );
  if (Object.keys(overrides).length > 0) {
    console.log(`settings overridden (${JSON.stringify(overrides)}): chart not written`);
    return;
  }
  const chart = join(__dirname, '..', 'docs', 'channel-choice-regret.svg');
  writeFileSync(chart, svg);
  console.log(`chart: ${chart}`);
}

const customerCount = Number(process.argv[2] ?? POPULATION.customers);
if (!Number.isInteger(customerCount) || customerCount < 1) {
  throw new Error(`customers must be a positive integer, got ${process.argv[2]}`);
}
const started = performance.now();
const result = run(customerCount);
report(result, customerCount, (performance.now() - started) / 1000);
