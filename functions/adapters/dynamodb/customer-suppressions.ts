/**
 * Suppressions on the customers table (`suppression#<keyed hash of channel:address>`, address-keys.ts):
 * the opt-outs of an erased profile, kept without the address itself, and applied to any profile
 * that later holds the address, unless it carries a newer decision.
 */
import { type Channel, ConsentStatus, type Customer } from '../../contract';
import { consentDecisionWins } from '../../domain/consent/consent-rules';
import { KEYED_BY, suppressionKey, suppressionKeysToRead } from './address-keys';
import { batchGetItems } from './batch-requests';
import type { CustomersTable, TransactItem } from './customer-transactions';
import { addressList, optedOutAttribute, optedOutCategories } from './customers-table';

/** Opt-outs remembered from an erased profile, unless this profile has a newer decision. */
export async function applySuppressions(table: CustomersTable, customer: Customer): Promise<Customer> {
  const byKey = new Map<string, Channel>();
  for (const [channel, normalised] of addressList(customer.addresses)) {
    for (const key of await suppressionKeysToRead(table.keyer, channel, normalised)) byKey.set(key, channel);
  }
  if (byKey.size === 0) return customer;
  const items = await batchGetItems(
    table.documents,
    table.name,
    [...byKey.keys()].map((pk) => ({ pk })),
  );
  if (items.length === 0) return customer;
  const consent: Customer['consent'] = structuredClone(customer.consent);
  for (const item of items) {
    const channel = byKey.get(String(item.pk));
    if (!channel) continue;
    for (const [category, at] of optedOutCategories(item)) {
      const existing = consent[category]?.[channel];
      const suppressed = { status: ConsentStatus.OPTED_OUT, at, source: 'suppression' } as const;
      if (!consentDecisionWins(existing, suppressed)) continue;
      consent[category] = { ...consent[category], [channel]: suppressed };
    }
  }
  return { ...customer, consent };
}

/** The suppression writes that keep a profile's opt-outs past its erasure, one per opted-out address. */
export async function suppressionWrites(table: CustomersTable, customer: Customer): Promise<TransactItem[]> {
  const writes = new Map<string, { channel: Channel; categories: Map<string, string> }>();
  for (const [channel, normalised] of addressList(customer.addresses)) {
    const key = await suppressionKey(table.keyer, channel, normalised);
    for (const [category, byChannel] of Object.entries(customer.consent)) {
      const record = byChannel?.[channel];
      if (record?.status !== ConsentStatus.OPTED_OUT) continue;
      const entry = writes.get(key) ?? { channel, categories: new Map<string, string>() };
      entry.categories.set(category, record.at);
      writes.set(key, entry);
    }
  }
  return [...writes].map(([key, { channel, categories }]) => {
    const names: Record<string, string> = {};
    const values: Record<string, string> = {
      ':kind': 'suppression',
      ':channel': channel,
      ':keyedBy': KEYED_BY.value,
    };
    const sets = ['kind = :kind', 'channel = :channel', `${KEYED_BY.attribute} = :keyedBy`];
    [...categories].forEach(([category, at], index) => {
      names[`#c${index}`] = optedOutAttribute(category);
      values[`:c${index}`] = at;
      sets.push(`#c${index} = :c${index}`);
    });
    return {
      Update: {
        TableName: table.name,
        Key: { pk: key },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  });
}
