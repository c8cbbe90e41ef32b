/**
 * Engagement counters on the customers table, kept with forward decay
 * (domain/channel-choice/forward-decay.ts) so that counting an event is one `UpdateItem` with `ADD`
 * and no read:
 *
 * - on the profile item `customer#<id>`: `engagement_<channel>_<counter>` (counters `sends`,
 *   `deliveries`, `engagements`, `conversions`) and `engagementScale`, read by the router in the
 *   batch read it already makes (customer-store.ts), so a learned choice costs no extra request;
 * - population shards `population#<category>#<channel>#<shard>` with `sends`, `engagements`,
 *   `conversions` and `engagementScale` (deliveries are not counted there: no prior reads them): the
 *   shard picked from the message id, so no one item takes every engagement of a busy channel
 *   (domain/channel-choice/population-rates.ts).
 *
 * Counting is at least once: a stream batch retried after a write counts that write's event again.
 * The counters are estimates that decay anyway; a rare double count shifts a rate by less than one
 * message's worth, which is why no idempotency record (a second write per event) is kept.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CHANNELS, type Channel } from '../../contract';
import {
  type ChannelEngagement,
  type CustomerEngagement,
  counterOf,
  DEFAULT_HALF_LIFE_DAYS,
  DEFAULT_POPULATION_SHARDS,
  populationShard,
} from '../../domain/channel-choice';
import {
  countsAt,
  type DecayScale,
  forwardWeight,
  parseScaleKey,
  rescale,
  type ScaledCounts,
  scaleAt,
  scaleKey,
} from '../../domain/channel-choice/forward-decay';
import type { EngagementSignal } from '../../domain/engagement-from-ledger';
import { RetryLaterError } from '../../domain/errors';
import type { EngagementCounter } from '../../domain/ledger-outbox';
import { profileKey } from './customers-table';

/** The attribute holding the scale of an item's sums. */
export const ENGAGEMENT_SCALE_ATTRIBUTE = 'engagementScale';

/** The four counters, in the order they are stored. */
const COUNTERS = ['sends', 'deliveries', 'engagements', 'conversions'] as const;
type Counter = (typeof COUNTERS)[number];

const MAX_ATTEMPTS = 4;

/** The profile attribute of one channel's counter. */
export function engagementAttribute(channel: Channel, counter: Counter): string {
  return `engagement_${channel}_${counter}`;
}

/** The key of a population shard item. */
export function populationShardKey(category: string, channel: Channel, shard: number): string {
  return `population#${category}#${channel}#${shard}`;
}

/**
 * A profile item's counters, decayed to `atMs`; by default to the landmark of their scale, where
 * the stored sums are the counts themselves — the reader then decays them to its own clock (the
 * router does, with the same configured half-life), so no clock is read here.
 */
export function engagementOfItem(item: Record<string, unknown>, atMs?: number): CustomerEngagement {
  const scale = parseScaleKey(item[ENGAGEMENT_SCALE_ATTRIBUTE]);
  if (!scale) return {};
  const engagement: CustomerEngagement = {};
  for (const channel of CHANNELS) {
    const sums = sumsOf(item, (counter) => engagementAttribute(channel, counter));
    if (sums) engagement[channel] = countsAt(sums, scale, atMs ?? scale.landmarkMs);
  }
  return engagement;
}

/** The counter attributes of a profile item, for a replaced profile to keep. */
export function keptEngagement(item: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!item || item[ENGAGEMENT_SCALE_ATTRIBUTE] === undefined) return {};
  const kept: Record<string, unknown> = { [ENGAGEMENT_SCALE_ATTRIBUTE]: item[ENGAGEMENT_SCALE_ATTRIBUTE] };
  for (const channel of CHANNELS) {
    for (const counter of COUNTERS) {
      const name = engagementAttribute(channel, counter);
      if (item[name] !== undefined) kept[name] = item[name];
    }
  }
  return kept;
}

/** A population shard item's counts decayed to `atMs`, or undefined without counts. */
export function populationShardCounts(
  item: Record<string, unknown>,
  atMs: number,
): ChannelEngagement | undefined {
  const scale = parseScaleKey(item[ENGAGEMENT_SCALE_ATTRIBUTE]);
  const sums = sumsOf(item, (counter) => counter);
  return scale && sums ? countsAt(sums, scale, atMs) : undefined;
}

function sumsOf(item: Record<string, unknown>, name: (counter: Counter) => string): ScaledCounts | undefined {
  const values = COUNTERS.map((counter) => item[name(counter)]);
  if (values.every((value) => value === undefined)) return undefined;
  const [sends, deliveries, engagements, conversions] = values.map((value) => Number(value ?? 0));
  return {
    sends: sends ?? 0,
    deliveries: deliveries ?? 0,
    engagements: engagements ?? 0,
    conversions: conversions ?? 0,
  };
}

type AttributeOf = (counter: Counter) => string;

/** An item whose counters are written: its key, the attribute of each counter, every counter set it keeps. */
interface CounterTarget {
  readonly pk: string;
  readonly attribute: AttributeOf;
  readonly all: readonly AttributeOf[];
  /** Whether the item must exist already (a profile), or may be created (a population shard). */
  readonly mustExist: boolean;
}

const PROFILE_COUNTER_SETS: readonly AttributeOf[] = CHANNELS.map(
  (channel) => (counter: Counter) => engagementAttribute(channel, counter),
);

function profileTarget(customerId: string, channel: Channel): CounterTarget {
  return {
    pk: profileKey(customerId),
    attribute: (counter) => engagementAttribute(channel, counter),
    all: PROFILE_COUNTER_SETS,
    mustExist: true,
  };
}

function shardTarget(pk: string): CounterTarget {
  const attribute: AttributeOf = (counter) => counter;
  return { pk, attribute, all: [attribute], mustExist: false };
}

/** Options for {@link DynamoDbEngagementCounters}. */
export interface DynamoDbEngagementCountersOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Half-life of the counts in days (default 90). */
  readonly halfLifeDays?: number;
  /** Shards per channel × category of the population counts (default 16). */
  readonly populationShards?: number;
  readonly now?: () => Date;
}

/** Counts engagement events on the customers table: the customer's item and one population shard. */
export class DynamoDbEngagementCounters implements EngagementCounter {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #halfLifeDays: number;
  readonly #shards: number;
  readonly #now: () => Date;

  constructor(options: DynamoDbEngagementCountersOptions) {
    this.#documents = DynamoDBDocumentClient.from(options.client);
    this.#table = options.tableName;
    this.#halfLifeDays = options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
    this.#shards = options.populationShards ?? DEFAULT_POPULATION_SHARDS;
    this.#now = options.now ?? (() => new Date());
  }

  /** Counts one event: one write to the customer's item, one to a population shard (when the category is known). */
  async count(update: EngagementSignal): Promise<void> {
    // Without a category only the customer's counters move (the population's are per category);
    // deliveries neither, as no prior reads the population's (a write per message saved).
    const counter = counterOf(update.event);
    if (!counter) return;
    const { channel, atMs } = update.event;
    const scale = scaleAt(this.#now().getTime(), this.#halfLifeDays);
    await this.#add(profileTarget(update.customerId, channel), counter, atMs, scale);
    if (update.category === undefined || counter === 'deliveries') return;
    const shard = populationShard(update.messageId, this.#shards);
    await this.#add(shardTarget(populationShardKey(update.category, channel, shard)), counter, atMs, scale);
  }

  /**
   * Adds an event's weight to one counter. A profile item must exist (an erased customer is never
   * re-created by a late event); a sum on another scale is re-expressed on this one first.
   */
  async #add(target: CounterTarget, counter: Counter, atMs: number, scale: DecayScale): Promise<void> {
    const { pk, mustExist } = target;
    const weight = forwardWeight(atMs, scale);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        await this.#documents.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { pk },
            UpdateExpression: 'SET #scale = :scale ADD #counter :weight',
            ConditionExpression: `${mustExist ? 'attribute_exists(pk) AND ' : ''}(attribute_not_exists(#scale) OR #scale = :scale)`,
            ExpressionAttributeNames: {
              '#scale': ENGAGEMENT_SCALE_ATTRIBUTE,
              '#counter': target.attribute(counter),
            },
            ExpressionAttributeValues: { ':scale': scaleKey(scale), ':weight': weight },
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const current = await this.#documents.send(
        new GetCommand({ TableName: this.#table, Key: { pk }, ConsistentRead: true }),
      );
      if (!current.Item) return; // The customer is gone (erased, or never existed): nothing to count.
      const from = parseScaleKey(current.Item[ENGAGEMENT_SCALE_ATTRIBUTE]);
      if (!from || scaleKey(from) === scaleKey(scale)) continue; // Written meanwhile on this scale.
      await this.#rescale(target, current.Item, from, scale);
    }
    throw new RetryLaterError(`The engagement counters of ${pk.split('#')[0]} kept changing`, {
      code: 'OptimisticConflict',
    });
  }

  /** Re-expresses an item's sums on the writer's scale, on the condition that nobody did it first. */
  async #rescale(
    target: CounterTarget,
    item: Record<string, unknown>,
    from: DecayScale,
    to: DecayScale,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#scale': ENGAGEMENT_SCALE_ATTRIBUTE };
    const values: Record<string, unknown> = { ':scale': scaleKey(to), ':old': scaleKey(from) };
    const sets: string[] = ['#scale = :scale'];
    target.all.forEach((attributeOf, channelIndex) => {
      const sums = sumsOf(item, attributeOf);
      if (!sums) return;
      const moved = rescale(sums, from, to, this.#now().getTime());
      COUNTERS.forEach((counter, counterIndex) => {
        const key = `${channelIndex}_${counterIndex}`;
        names[`#c${key}`] = attributeOf(counter);
        values[`:c${key}`] = moved[counter];
        sets.push(`#c${key} = :c${key}`);
      });
    });
    try {
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: target.pk },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#scale = :old',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
