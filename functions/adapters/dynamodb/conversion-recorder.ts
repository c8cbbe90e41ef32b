/**
 * Recording a conversion on the messages table, in one TransactWriteItems request, all or nothing
 * (a conversion that credits no message is one conditional PutItem of its item: nothing else to write):
 *
 * - the `conversion` item on the customer's timeline (`customer#<id>` / `conversion#<touchpoint
 *   messageId>`, on `gsi1` at its time; the shape docs/attribution.md and the timeline read),
 *   conditional on its key: a replayed stream record finds it and writes and counts nothing;
 * - one claim per credited message (`conversion-credit#<messageId>`, in the customer's partition),
 *   conditional on its key: a message is credited by one conversion;
 * - the conversion's increments of the aggregates (attribution-aggregates.ts), on a random shard.
 *
 * At most 1 + 10 claims + 3 × 10 aggregates: one request (credit-conversion.ts caps the touches).
 * Erasure deletes the customer's partition, conversions and claims with it.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AggregateIncrement } from '../../domain/attribution/attribution-aggregates';
import type { ConversionRecorder, RecordOutcome } from '../../domain/attribution/attribution-ports';
import type { Conversion } from '../../domain/attribution/conversion';
import type { Credit } from '../../domain/attribution/credit-conversion';
import type { DynamoDbAttributionAggregates } from './attribution-aggregates';
import { putIfAbsent } from './conditional';
import {
  conversionCreditSort,
  conversionSort,
  expiresAfter,
  messagesDocuments,
  partitionOf,
  retentionSeconds,
  timelinePartition,
} from './messages-table';

/** Options of the recorder. */
export interface DynamoDbConversionRecorderOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The aggregates, whose updates go into the same transaction. */
  readonly aggregates: DynamoDbAttributionAggregates;
  /** Days before TTL removes a conversion and its claims, counted from the conversion (as touchpoints). */
  readonly retentionDays?: number;
}

/** The conversion item of a conversion with its credits (the timeline's `conversion` entry). */
export function toConversionItem(conversion: Conversion, credits: readonly Credit[], expiresAt: number) {
  return {
    pk: partitionOf(conversion.customerId),
    sk: conversionSort(conversion.conversionId),
    kind: 'conversion',
    ...conversion,
    credits: credits.map(({ sentAt: _sentAt, ...credit }) => credit),
    gsi1pk: timelinePartition(conversion.customerId),
    // Right after its touchpoint (`<occurredAt>#touchpoint#<id>`): both share the time, and the
    // timeline must show the purchase before the conversion it made, in either direction.
    gsi1sk: `${conversion.occurredAt}#touchpoint#${conversion.conversionId}#conversion`,
    expiresAt,
  };
}

/** {@link ConversionRecorder} on the messages table. */
export class DynamoDbConversionRecorder implements ConversionRecorder {
  readonly #table: string;
  readonly #documents: DynamoDBDocumentClient;
  readonly #aggregates: DynamoDbAttributionAggregates;
  readonly #retentionSeconds: number;

  constructor(options: DynamoDbConversionRecorderOptions) {
    this.#table = options.tableName;
    this.#documents = messagesDocuments(options.client);
    this.#aggregates = options.aggregates;
    this.#retentionSeconds = retentionSeconds(options.retentionDays);
  }

  async record(
    conversion: Conversion,
    credits: readonly Credit[],
    increments: readonly AggregateIncrement[],
  ): Promise<RecordOutcome> {
    const expiresAt = expiresAfter(conversion.occurredAt, this.#retentionSeconds);
    const absent = { ConditionExpression: 'attribute_not_exists(pk)' };
    if (credits.length === 0 && increments.length === 0) {
      // Nothing to claim or count: one conditional put is as atomic as a transaction, at half its units.
      const item = toConversionItem(conversion, credits, expiresAt);
      const created = await putIfAbsent(this.#documents, this.#table, item);
      return { outcome: created ? 'recorded' : 'duplicate' };
    }
    const items = [
      { Put: { TableName: this.#table, Item: toConversionItem(conversion, credits, expiresAt), ...absent } },
      ...credits.map((credit) => ({
        Put: {
          TableName: this.#table,
          Item: {
            pk: partitionOf(conversion.customerId),
            sk: conversionCreditSort(credit.messageId),
            kind: 'conversion-credit',
            messageId: credit.messageId,
            conversionId: conversion.conversionId,
            expiresAt,
          },
          ...absent,
        },
      })),
    ];
    try {
      await this.#aggregates.transact((shard) => [
        ...items,
        ...increments.map((increment) => this.#aggregates.update(increment, shard)),
      ]);
      return { outcome: 'recorded' };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const failed = (error.CancellationReasons ?? []).map(
        (reason) => reason.Code === 'ConditionalCheckFailed',
      );
      if (failed[0]) return { outcome: 'duplicate' };
      const messageIds = credits.filter((_, index) => failed[index + 1]).map((credit) => credit.messageId);
      if (messageIds.length === 0) throw error;
      return { outcome: 'claimed', messageIds };
    }
  }
}
