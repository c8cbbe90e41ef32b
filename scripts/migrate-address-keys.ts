/**
 * Re-keys a stage's plain-hash address names (functions/adapters/dynamodb/address-key-migration.ts;
 * docs/deploy.md, "Keyed address hashes"). Run with `npm run migrate:address-keys` and the API
 * function's environment: SWITCHBOARD_CUSTOMERS_TABLE, SWITCHBOARD_MESSAGES_TABLE and
 * SWITCHBOARD_ADDRESS_PEPPER_SECRET_ARN (or SWITCHBOARD_ADDRESS_PEPPER for a local persisted run),
 * with AWS credentials that may scan and write both tables and read the secret. Prints counts only.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { migrateAddressKeys } from '../functions/adapters/dynamodb/address-key-migration';
import { addressKeyerFromEnv } from '../functions/adapters/secrets/keyed-hash';
import { Env, requireEnv } from '../functions/config';

async function main(): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    const report = await migrateAddressKeys({
      client,
      customersTable: requireEnv(Env.CUSTOMERS_TABLE),
      messagesTable: requireEnv(Env.MESSAGES_TABLE),
      keyer: addressKeyerFromEnv(),
    });
    console.log(JSON.stringify(report));
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`migrate-address-keys: ${(error as Error).message}`);
  process.exitCode = 1;
});
