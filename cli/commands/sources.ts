/**
 * `switchboard sources create|list|revoke`: the write-key sources of the public ingest
 * (docs/touchpoints.md, "Sources and write keys").
 *
 *   switchboard sources create --name "Web shop" --kind client
 *   switchboard sources list [--json]
 *   switchboard sources revoke src_…
 *
 * These talk to the customers table directly, not through the API: creating a key is an
 * operator's act, so it is governed by the operator's own IAM access to the table (locally, the
 * runtime's DynamoDB Local from local.json; deployed, the `CustomersTableName` stack output or
 * `--customers-table`, with the caller's AWS credentials). The key and the userHash secret are
 * printed once, at creation; only the key's hash is stored.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbSourceStore } from '../../functions/adapters/dynamodb/source-store';
import {
  newSource,
  SOURCE_KINDS,
  SOURCE_NAME,
  type SourceKind,
} from '../../functions/domain/sources/write-keys';
import { LOCAL_CREDENTIALS } from '../../local/emulators';
import type { Command } from '../command';
import { requireOutput, resolveTarget, TARGET_OPTIONS, UsageError } from '../target';

const USAGE =
  'sources create --name NAME --kind client|server | sources list [--json] | sources revoke <sourceId>';

/** The `sources` command. */
export const sourcesCommand: Command = {
  summary: 'create, list or revoke write keys of the public ingest',
  async run(args, io) {
    const [action, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        ...TARGET_OPTIONS,
        name: { type: 'string' },
        kind: { type: 'string' },
        json: { type: 'boolean' },
        'customers-table': { type: 'string' },
      },
    });
    if (action !== 'create' && action !== 'list' && action !== 'revoke') throw new UsageError(USAGE);
    const store = sourceStore(values);
    if (action === 'create') {
      const kind = values.kind as SourceKind;
      if (!SOURCE_KINDS.includes(kind))
        throw new UsageError(`--kind must be one of ${SOURCE_KINDS.join(', ')}`);
      const name = values.name ?? '';
      if (!SOURCE_NAME.test(name))
        throw new UsageError('--name must be 1 to 100 letters, digits, spaces or _ . : @ / -');
      const { source, writeKey } = newSource(name, kind);
      await store.create(source);
      io.out(`source    ${source.sourceId} (${kind}) "${name}"`);
      io.out(`write key ${writeKey}`);
      if (source.userHashSecret) io.out(`userHash secret ${source.userHashSecret}`);
      io.out("Keep these now: they are not shown again (only the key's hash is stored).");
      return 0;
    }
    if (action === 'list') {
      const sources = await store.list();
      if (values.json)
        io.out(
          JSON.stringify(
            sources.map(({ keyHash: _hash, ...listed }) => listed),
            null,
            2,
          ),
        );
      else if (sources.length === 0) io.out('no sources');
      for (const source of values.json ? [] : sources) {
        const state = source.revokedAt ? `revoked ${source.revokedAt}` : 'active';
        io.out(
          `${source.sourceId}  ${source.kind.padEnd(6)}  ${source.createdAt}  ${state.padEnd(32)}  ${source.name}`,
        );
      }
      return 0;
    }
    const sourceId = positionals[0];
    if (!sourceId) throw new UsageError('sources revoke <sourceId>');
    const revoked = await store.revoke(sourceId, new Date());
    if (!revoked) {
      io.err(`no source ${sourceId}`);
      return 1;
    }
    io.out(`revoked ${sourceId} at ${revoked.revokedAt}: its key is refused from now on`);
    return 0;
  },
};

function sourceStore(
  values: Parameters<typeof resolveTarget>[0] & { 'customers-table'?: string },
): DynamoDbSourceStore {
  const { local, remote } = resolveTarget(values);
  if (local) {
    const client = new DynamoDBClient({
      region: local.region,
      endpoint: local.dynamodbEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    return new DynamoDbSourceStore({ client, tableName: local.tables.customers });
  }
  const stack = remote as NonNullable<typeof remote>;
  const tableName = values['customers-table'] ?? requireOutput(stack, 'CustomersTableName', 'sources');
  return new DynamoDbSourceStore({ client: new DynamoDBClient({ region: stack.region }), tableName });
}
