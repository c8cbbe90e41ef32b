/**
 * The customer store as the webhooks need it, on the DynamoDB customers table (keys and profile
 * items: customers-table.ts):
 *
 * - a consent change sets the decision in the profile's `consent` map and appends it, with when,
 *   why and where from, to `consentHistory`, in one write conditioned on the profile's version;
 *   a decision older than the stored one, or one that changes nothing, writes nothing; the
 *   history entry carries what the consent event says, since the ledger's stream publishes it;
 * - a hard bounce sets `invalid_<channel>` to the bounced address, on the condition that it is
 *   still the profile's address (the router skips the channel while it is);
 * - an inbound WhatsApp message sets `whatsappWindowUntil`, never moving it earlier.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, ConsentRecord, Customer } from '../../contract';
import { appendConsentHistory, consentDecisionWins } from '../../domain/consent/consent-rules';
import type { ConsentContext, ConsentHistoryEntry, InvalidAddress } from '../../domain/customer-model';
import { RetryLaterError } from '../../domain/errors';
import type { AddressKeyer, ConsentStore } from '../../domain/ports';
import { updateConditionally } from './conditional';
import { DynamoDbCustomerStore } from './customer-store';
import {
  consentHistoryOf,
  consentKey,
  customersDocuments,
  fromProfileItem,
  invalidAttribute,
  normaliseAddress,
  profileKey,
} from './customers-table';

/** Options for {@link DynamoDbConsentStore}. */
export interface DynamoDbConsentStoreOptions {
  readonly client: DynamoDBClient;
  /** The customers table. */
  readonly tableName: string;
  /** Names addresses in keys (adapters/secrets/keyed-hash.ts). */
  readonly keyer: AddressKeyer;
}

const MAX_VERSION_RETRIES = 5;

/** {@link ConsentStore} on the DynamoDB customers table. */
export class DynamoDbConsentStore implements ConsentStore {
  readonly #documents: DynamoDBDocumentClient;
  readonly #customers: DynamoDbCustomerStore;
  readonly #table: string;

  constructor(options: DynamoDbConsentStoreOptions) {
    this.#documents = customersDocuments(options.client);
    this.#customers = new DynamoDbCustomerStore(options);
    this.#table = options.tableName;
  }

  async findByAddress(channel: Channel, address: string): Promise<Customer | undefined> {
    const customerId = await this.#customers.findByAddress(channel, address);
    return customerId ? this.get(customerId) : undefined;
  }

  async get(customerId: string): Promise<Customer | undefined> {
    return (await this.#customers.get(customerId))?.customer;
  }

  async setConsent(
    customerId: string,
    channel: Channel,
    categories: readonly string[],
    record: ConsentRecord,
    reason?: string,
    context: ConsentContext = {},
  ): Promise<string[]> {
    const at = new Date(record.at).toISOString();
    for (let attempt = 1; attempt <= MAX_VERSION_RETRIES; attempt++) {
      const item = await this.#customers.getProfileItem(customerId);
      if (!item) return [];
      const { customer, version } = fromProfileItem(item);
      // A repeated STOP changes nothing; an older decision arriving late never replaces a newer one.
      const changed = [...new Set(categories)].filter((category) =>
        consentDecisionWins(customer.consent[category]?.[channel], { ...record, at }),
      );
      if (changed.length === 0) return [];
      const entries: ConsentHistoryEntry[] = changed.map((category) => ({
        category,
        channel,
        ...record,
        at,
        ...(reason ? { reason } : {}),
        // What the consent event needs (the ledger's stream publishes it from this entry).
        ...(context.messageId ? { messageId: context.messageId } : {}),
        ...(context.providerMessageId ? { providerMessageId: context.providerMessageId } : {}),
        ...(context.metadata && Object.keys(context.metadata).length > 0
          ? { metadata: { ...context.metadata } }
          : {}),
      }));
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {
        ':version': version,
        ':one': 1,
        ':updatedAt': new Date().toISOString(),
        ':history': appendConsentHistory(consentHistoryOf(item), entries),
      };
      const sets = changed.map((category, index) => {
        names[`#k${index}`] = consentKey(category, channel);
        values[`:r${index}`] = { ...record, at };
        return `consent.#k${index} = :r${index}`;
      });
      try {
        await this.#documents.send(
          new UpdateCommand({
            TableName: this.#table,
            Key: { pk: profileKey(customerId) },
            UpdateExpression: `SET ${sets.join(', ')}, consentHistory = :history, updatedAt = :updatedAt ADD version :one`,
            ConditionExpression: 'version = :version',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return changed;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // The profile changed since it was read: read it again and decide again.
      }
    }
    throw new RetryLaterError('The customer kept changing while consent was recorded', {
      code: 'ConcurrentUpdate',
    });
  }

  async markAddressInvalid(
    customerId: string,
    channel: Channel,
    address: string,
    at: string,
    reason: string,
  ): Promise<void> {
    const customer = await this.get(customerId);
    const stored = customer?.addresses[channel];
    // Only the address that bounced: if the customer has changed it since, the new one is untested.
    if (typeof stored !== 'string') return;
    if (normaliseAddress(channel, stored) !== normaliseAddress(channel, address)) return;
    const mark: InvalidAddress = { address: stored, at, reason: reason.slice(0, 256) };
    await updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: profileKey(customerId) },
        UpdateExpression: 'SET #invalid = :mark',
        ConditionExpression: 'addresses.#channel = :stored',
        ExpressionAttributeNames: { '#invalid': invalidAttribute(channel), '#channel': channel },
        ExpressionAttributeValues: { ':mark': mark, ':stored': stored },
      }),
    );
  }

  async openWhatsAppWindow(customerId: string, until: string): Promise<void> {
    await updateConditionally(
      this.#documents,
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: profileKey(customerId) },
        UpdateExpression: 'SET whatsappWindowUntil = :until',
        // A delayed webhook for an older message never shortens the window.
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(whatsappWindowUntil) OR whatsappWindowUntil < :until)',
        ExpressionAttributeValues: { ':until': new Date(until).toISOString() },
      }),
    );
  }
}
