/**
 * Profile writes on the customers table (keys and items: customers-table.ts): a whole profile put
 * with its address index entries, one address, one consent decision. Each is a read, then a write
 * conditioned on what was read (customer-transactions.ts), so concurrent writers never lose a change.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, ConsentRecord, Customer } from '../../contract';
import { appendConsentHistory, consentDecisionWins, mergeConsent } from '../../domain/consent/consent-rules';
import type { ConsentHistoryEntry, InvalidAddress, StoredCustomer } from '../../domain/customer-model';
import { CustomerNotFoundError } from './customer-errors';
import { applySuppressions } from './customer-suppressions';
import {
  addressChanges,
  addressChannels,
  type CustomersTable,
  optimistically,
  readProfileItem,
  type TransactItem,
  transact,
} from './customer-transactions';
import {
  consentHistoryOf,
  consentKey,
  fromProfileItem,
  invalidAttribute,
  profileKey,
  SINGLE_ADDRESS_CHANNELS,
  toProfileItem,
} from './customers-table';
import { keptEngagement } from './engagement-counters';
import { keptCapCounters } from './frequency-cap-counters';

/**
 * Creates or replaces a profile and its address index entries in one transaction, with the
 * opt-outs a suppression remembers unless the profile carries a newer decision.
 */
export async function putProfile(
  table: CustomersTable,
  customer: Customer,
): Promise<{ created: boolean; stored: StoredCustomer }> {
  return optimistically(async () => {
    const currentItem = await readProfileItem(table, customer.customerId);
    const current = currentItem ? fromProfileItem(currentItem) : undefined;
    const incoming = normaliseConsentTimes(customer);
    const withSuppressions = await applySuppressions(
      table,
      current ? { ...incoming, consent: mergeConsent(current.customer.consent, incoming.consent) } : incoming,
    );
    const version = (current?.version ?? 0) + 1;
    const updatedAt = new Date().toISOString();
    const items: TransactItem[] = [
      {
        Put: {
          TableName: table.name,
          Item: {
            ...toProfileItem(withSuppressions, version, updatedAt),
            // A replaced profile keeps what the webhooks learned and the history of its consent.
            ...keptOnReplace(currentItem, withSuppressions),
          },
          ...(current
            ? {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': current.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      ...(await addressChanges(
        table,
        customer.customerId,
        current?.customer.addresses ?? {},
        withSuppressions.addresses,
      )),
    ];
    await transact(table, items, addressChannels(items));
    return { created: !current, stored: { customer: withSuppressions, version, updatedAt } };
  });
}

/** Sets or removes (undefined) one address, keeping the address index consistent. */
export async function setProfileAddress(
  table: CustomersTable,
  customerId: string,
  channel: Channel,
  address: Customer['addresses'][Channel] | undefined,
): Promise<StoredCustomer> {
  return optimistically(async () => {
    const item = await readProfileItem(table, customerId);
    if (!item) throw new CustomerNotFoundError(`No customer ${customerId}`);
    const current = fromProfileItem(item);
    const next: Customer = {
      ...current.customer,
      addresses: { ...current.customer.addresses, [channel]: address },
    };
    if (address === undefined) delete next.addresses[channel];
    const version = current.version + 1;
    const updatedAt = new Date().toISOString();
    const previous = current.customer.addresses[channel];
    // Conditioned on this one address (not the whole version), so a concurrent consent change
    // does not make this update retry.
    const items: TransactItem[] = [
      {
        Update: {
          TableName: table.name,
          Key: { pk: profileKey(customerId) },
          // A new address is not known to bounce: the invalid mark of the old one goes with it.
          UpdateExpression:
            address === undefined
              ? 'REMOVE addresses.#channel, #invalid SET updatedAt = :updatedAt ADD version :one'
              : 'SET addresses.#channel = :address, updatedAt = :updatedAt REMOVE #invalid ADD version :one',
          ConditionExpression:
            previous === undefined
              ? 'attribute_exists(pk) AND attribute_not_exists(addresses.#channel)'
              : 'addresses.#channel = :previous',
          ExpressionAttributeNames: { '#channel': channel, '#invalid': invalidAttribute(channel) },
          ExpressionAttributeValues: {
            ':updatedAt': updatedAt,
            ':one': 1,
            ...(address === undefined ? {} : { ':address': address }),
            ...(previous === undefined ? {} : { ':previous': previous }),
          },
        },
      },
      ...(await addressChanges(table, customerId, { [channel]: previous }, { [channel]: address })),
    ];
    await transact(table, items, addressChannels(items));
    return { customer: next, version, updatedAt };
  });
}

/** Sets one consent decision; an older decision never replaces a newer one. */
export async function setProfileConsent(
  table: CustomersTable,
  customerId: string,
  category: string,
  channel: Channel,
  record: ConsentRecord,
): Promise<StoredCustomer> {
  const at = new Date(record.at).toISOString();
  return optimistically(async () => {
    const item = await readProfileItem(table, customerId);
    if (!item) throw new CustomerNotFoundError(`No customer ${customerId}`);
    const current = fromProfileItem(item);
    // A repeat, or an older decision arriving late (a retried webhook, a slow client), changes nothing.
    if (!consentDecisionWins(current.customer.consent[category]?.[channel], { ...record, at }))
      return current;
    const entry: ConsentHistoryEntry = { category, channel, ...record, at };
    const output = await table.documents.send(
      new UpdateCommand({
        TableName: table.name,
        Key: { pk: profileKey(customerId) },
        UpdateExpression:
          'SET consent.#key = :record, updatedAt = :updatedAt, consentHistory = :history ADD version :one',
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: { '#key': consentKey(category, channel) },
        ExpressionAttributeValues: {
          ':record': { ...record, at },
          ':history': appendConsentHistory(consentHistoryOf(item), [entry]),
          ':version': current.version,
          ':updatedAt': new Date().toISOString(),
          ':one': 1,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromProfileItem(output.Attributes ?? {});
  });
}

/**
 * What a replaced profile carries over from the one it replaces: its engagement and frequency-cap
 * counters, the WhatsApp window, invalid marks of addresses it keeps, and the consent history with
 * the decisions this replacement changes.
 */
function keptOnReplace(
  currentItem: Record<string, unknown> | undefined,
  next: Customer,
): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...keptEngagement(currentItem), ...keptCapCounters(currentItem) };
  if (typeof currentItem?.whatsappWindowUntil === 'string') {
    kept.whatsappWindowUntil = currentItem.whatsappWindowUntil;
  }
  for (const channel of SINGLE_ADDRESS_CHANNELS) {
    const mark = currentItem?.[invalidAttribute(channel)] as InvalidAddress | undefined;
    if (mark && mark.address === next.addresses[channel]) kept[invalidAttribute(channel)] = mark;
  }
  const before = currentItem ? fromProfileItem(currentItem).customer.consent : {};
  const changes: ConsentHistoryEntry[] = [];
  for (const [category, byChannel] of Object.entries(next.consent)) {
    for (const [channel, record] of Object.entries(byChannel ?? {})) {
      const previous = before[category]?.[channel as Channel];
      if (!record || (previous?.status === record.status && previous.at === record.at)) continue;
      changes.push({ category, channel: channel as Channel, ...record });
    }
  }
  const history = appendConsentHistory(consentHistoryOf(currentItem), changes);
  if (history.length > 0) kept.consentHistory = history;
  return kept;
}

function normaliseConsentTimes(customer: Customer): Customer {
  const consent: Customer['consent'] = {};
  for (const [category, byChannel] of Object.entries(customer.consent)) {
    consent[category] = Object.fromEntries(
      Object.entries(byChannel ?? {}).map(([channel, record]) => [
        channel,
        record ? { ...record, at: new Date(record.at).toISOString() } : record,
      ]),
    );
  }
  return { ...customer, consent };
}
