/**
 * A customer's touches for attribution, on the messages table: one Query of the customer's timeline
 * (`gsi1`, `timeline#<customerId>`, created in the range, messages only), then one BatchGetItem of
 * the messages' attempt items and conversion claims — O(the customer's messages in the window),
 * never a scan. The message item does not know whether it was sent (its attempts do, and they are
 * on no index: each index costs a write per status change), so the attempts are read by key.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel } from '../../contract';
import type { TouchFinder } from '../../domain/attribution/attribution-ports';
import { campaignOf } from '../../domain/attribution/campaign';
import type { Touch } from '../../domain/attribution/credit-conversion';
import { isSentOrLater } from '../../domain/engagement-from-ledger';
import type { AttemptHistoryEntry } from '../../domain/ledger-change-events';
import { batchGetItems } from './batch-requests';
import {
  attemptKey,
  conversionCreditSort,
  messagesDocuments,
  partitionOf,
  TIMELINE_INDEX,
  timelinePartition,
} from './messages-table';

/** Options for {@link DynamoDbTouchFinder}. */
export interface DynamoDbTouchFinderOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

interface MessageRow {
  readonly messageId: string;
  readonly category?: string;
  readonly template?: string;
  readonly campaign?: string;
  readonly attempts: readonly { readonly channel: Channel; readonly attempt: number }[];
}

/** {@link TouchFinder} on the messages table. */
export class DynamoDbTouchFinder implements TouchFinder {
  readonly #documents: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoDbTouchFinderOptions) {
    this.#documents = messagesDocuments(options.client);
    this.#table = options.tableName;
  }

  async touches(customerId: string, created: { from: string; to: string }): Promise<Touch[]> {
    const messages = await this.#messages(customerId, created);
    if (messages.length === 0) return [];
    const keys = messages.flatMap((message) => [
      { pk: partitionOf(customerId), sk: conversionCreditSort(message.messageId) },
      ...message.attempts.map((attempt) =>
        attemptKey({ customerId, messageId: message.messageId, ...attempt }),
      ),
    ]);
    const items = await batchGetItems(this.#documents, this.#table, keys);
    const claimed = new Set(
      items.filter((item) => item.kind === 'conversion-credit').map((item) => item.messageId),
    );
    const firstSent = new Map<string, { channel: Channel; sentAt: string }>();
    for (const item of items) {
      if (item.kind !== 'attempt') continue;
      const sent = ((item.history ?? []) as AttemptHistoryEntry[]).find((entry) =>
        isSentOrLater(entry.status),
      );
      const messageId = String(item.messageId);
      const earlier = firstSent.get(messageId);
      if (sent && (!earlier || Date.parse(sent.at) < Date.parse(earlier.sentAt))) {
        firstSent.set(messageId, { channel: item.channel as Channel, sentAt: sent.at });
      }
    }
    return messages.flatMap((message) => {
      const sent = firstSent.get(message.messageId);
      if (!sent) return [];
      return [
        {
          messageId: message.messageId,
          ...sent,
          ...(message.category === undefined ? {} : { category: message.category }),
          ...(message.template === undefined ? {} : { template: message.template }),
          ...(message.campaign === undefined ? {} : { campaign: message.campaign }),
          claimed: claimed.has(message.messageId),
        },
      ];
    });
  }

  /** The customer's message items created in the range: every page of one Query. */
  async #messages(customerId: string, created: { from: string; to: string }): Promise<MessageRow[]> {
    const rows: MessageRow[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#documents.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: TIMELINE_INDEX,
          // Messages sort as `<createdAt>#<messageId>`; `~` sorts after every id character.
          KeyConditionExpression: 'gsi1pk = :timeline AND gsi1sk BETWEEN :from AND :to',
          FilterExpression: '#kind = :message',
          ProjectionExpression: 'messageId, #category, #request.#template, #metadata, #attempts',
          ExpressionAttributeNames: {
            '#kind': 'kind',
            '#category': 'category',
            '#request': 'request',
            '#template': 'template',
            '#metadata': 'metadata',
            '#attempts': 'attempts',
          },
          ExpressionAttributeValues: {
            ':timeline': timelinePartition(customerId),
            ':from': created.from,
            ':to': `${created.to}~`,
            ':message': 'message',
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const template = (item.request as { template?: unknown } | undefined)?.template;
        const campaign = campaignOf(item.metadata);
        rows.push({
          messageId: String(item.messageId),
          ...(typeof item.category === 'string' ? { category: item.category } : {}),
          ...(typeof template === 'string' ? { template } : {}),
          ...(campaign === undefined ? {} : { campaign }),
          attempts: (item.attempts ?? []) as MessageRow['attempts'],
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return rows;
  }
}
