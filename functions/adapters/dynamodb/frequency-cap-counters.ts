/**
 * Frequency-cap counters (domain/routing/frequency-caps.ts) on the customer's profile item
 * `customer#<id>` of the customers table: one map attribute per cap, `cap_<cap id>` =
 * `{ window, count, messageIds }`. On the profile item they cost no read (the router's batch read of
 * the profiles carries them), one conditional `UpdateItem` counts a message under every cap at once
 * (atomic without a transaction), and erasing the profile erases them.
 *
 * The write is conditioned per cap on what the router read: the same window (then `count < max`,
 * and the message id not counted yet) or an older one (then the counter starts the new window). A
 * condition that fails returns the item as stored (`ReturnValuesOnConditionCheckFailure`), so the
 * router decides again on the fresh counters without another read.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { FrequencyCapCounters } from '../../domain/ports';
import type { CapCounter, CapCounters, CapScope } from '../../domain/routing/frequency-caps';
import { customersDocuments, profileKey } from './customers-table';

const CAP_PREFIX = 'cap_';

/** The profile attribute holding one cap's counter. */
export function capAttribute(capId: string): string {
  return `${CAP_PREFIX}${capId}`;
}

/** The cap counters a profile item carries, by cap id. */
export function capCountersOfItem(item: Record<string, unknown>): CapCounters {
  const counters: Record<string, CapCounter> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(CAP_PREFIX) || typeof value !== 'object' || value === null) continue;
    const stored = value as Record<string, unknown>;
    counters[name.slice(CAP_PREFIX.length)] = {
      window: Number(stored.window ?? 0),
      count: Number(stored.count ?? 0),
      messageIds: Array.isArray(stored.messageIds) ? stored.messageIds.map(String) : [],
    };
  }
  return counters;
}

/** The cap counters of a profile item, for a replaced profile to keep (customer-profile-writes.ts). */
export function keptCapCounters(item: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item ?? {}).filter(([name]) => name.startsWith(CAP_PREFIX)));
}

/** Options for {@link DynamoDbFrequencyCapCounters}. */
export interface DynamoDbFrequencyCapCountersOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** {@link FrequencyCapCounters} on the customers table's profile items. */
export class DynamoDbFrequencyCapCounters implements FrequencyCapCounters {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoDbFrequencyCapCountersOptions) {
    this.#documents = customersDocuments(options.client);
    this.#table = options.tableName;
  }

  async count(
    customerId: string,
    messageId: string,
    scopes: readonly CapScope[],
  ): Promise<{ readonly counted: true } | { readonly counted: false; readonly counters?: CapCounters }> {
    const names: Record<string, string> = { '#w': 'window' };
    const values: Record<string, unknown> = {};
    // The profile must exist: a counter alone would make an item for a customer erased since the read.
    const conditions = ['attribute_exists(pk)'];
    const updates: string[] = [];
    scopes.forEach((scope, index) => {
      const attribute = `#a${index}`;
      names[attribute] = capAttribute(scope.id);
      values[`:w${index}`] = scope.windowStart;
      if (scope.current) {
        Object.assign(names, { '#n': 'count', '#ids': 'messageIds' });
        conditions.push(
          `${attribute}.#w = :w${index}`,
          `NOT contains(${attribute}.#ids, :id)`,
          ...(scope.enforced ? [`${attribute}.#n < :max${index}`] : []),
        );
        if (scope.enforced) values[`:max${index}`] = scope.cap.max;
        Object.assign(values, { ':id': messageId, ':idl': [messageId], ':one': 1 });
        updates.push(
          `${attribute}.#n = ${attribute}.#n + :one`,
          `${attribute}.#ids = list_append(${attribute}.#ids, :idl)`,
        );
      } else {
        conditions.push(`(attribute_not_exists(${attribute}) OR ${attribute}.#w < :w${index})`);
        values[`:fresh${index}`] = { window: scope.windowStart, count: 1, messageIds: [messageId] };
        updates.push(`${attribute} = :fresh${index}`);
      }
    });
    try {
      await this.#documents.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: profileKey(customerId) },
          UpdateExpression: `SET ${updates.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { counted: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // No item: the profile is gone (erased since the read).
      if (!error.Item) return { counted: false };
      return { counted: false, counters: capCountersOfItem(unmarshall(error.Item)) };
    }
  }
}
