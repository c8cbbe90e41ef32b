/**
 * The retry loop for keys DynamoDB leaves unprocessed: pure logic, so a mocked client is enough
 * here; the store itself is tested on DynamoDB Local in test/integration.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbCustomerStore } from '../../functions/adapters/dynamodb/customer-store';
import { RetryLaterError } from '../../functions/domain/errors';
import { anAddressKeyer } from '../helpers/factories';

describe('Method: DynamoDbCustomerStore.getMany', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  afterEach(() => documents.reset());
  const profile = (id: string) => ({
    pk: `customer#${id}`,
    customerId: id,
    version: 1,
    addresses: {},
    consent: {},
  });

  it('asks again for the keys DynamoDB left unprocessed', async () => {
    // Prepare
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { customers: [profile('a')] },
        UnprocessedKeys: { customers: { Keys: [{ pk: 'customer#b' }] } },
      })
      .resolvesOnce({ Responses: { customers: [profile('b')] } });
    const store = new DynamoDbCustomerStore({
      client: new DynamoDBClient({ region: 'us-east-1' }),
      tableName: 'customers',
      keyer: anAddressKeyer(),
    });

    // Act
    const found = await store.getMany(['a', 'b']);

    // Assess
    expect([...found.keys()].sort()).toEqual(['a', 'b']);
    expect(documents.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.customers?.Keys).toEqual([
      { pk: 'customer#b' },
    ]);
  });

  it('gives up with RetryLaterError when keys stay unprocessed', async () => {
    // Prepare
    documents
      .on(BatchGetCommand)
      .resolves({ UnprocessedKeys: { customers: { Keys: [{ pk: 'customer#a' }] } } });
    const store = new DynamoDbCustomerStore({
      client: new DynamoDBClient({ region: 'us-east-1' }),
      tableName: 'customers',
      keyer: anAddressKeyer(),
    });

    // Act
    const reading = store.getMany(['a']);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(RetryLaterError);
  });
});
