/**
 * Erasure of a customer on the customers table (domain/customers/erase-customer.ts): the profile
 * and its address index entries go in one transaction with a suppression for every opted-out
 * address (customer-suppressions.ts); an erasure tombstone tells the router the id was erased.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { suppressionWrites } from './customer-suppressions';
import {
  addressChanges,
  type CustomersTable,
  optimistically,
  readProfileItem,
  type TransactItem,
  transact,
} from './customer-transactions';
import { fromProfileItem, profileKey, toErasedItem } from './customers-table';

/**
 * Erases a profile and its address index entries, keeping a suppression for every address that
 * was opted out of any category. Returns false if there was no profile.
 */
export async function eraseProfile(table: CustomersTable, customerId: string): Promise<boolean> {
  return optimistically(async () => {
    const item = await readProfileItem(table, customerId);
    if (!item) return false;
    const current = fromProfileItem(item);
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: table.name,
          Key: { pk: profileKey(customerId) },
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': current.version },
        },
      },
      ...(await addressChanges(table, customerId, current.customer.addresses, {})),
      ...(await suppressionWrites(table, current.customer)),
    ];
    await transact(table, items, new Map());
    return true;
  });
}

/** Writes the customer's erasure tombstone (customers-table.ts {@link toErasedItem}). */
export async function markErased(table: CustomersTable, customerId: string, at: Date): Promise<void> {
  await table.documents.send(new PutCommand({ TableName: table.name, Item: toErasedItem(customerId, at) }));
}
