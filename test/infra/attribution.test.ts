/**
 * Attribution in the stack: the ledger stream's filter on the messages table lets through what the
 * consumer acts on (attempts, inbound, new messages, conversion touchpoints) and nothing else; the
 * `attribution` settings reach the ledger-stream function and the API as the same variables.
 */
import { attributionConfigFromEnv } from '../../functions/attribution-config';
import { environmentOf, logicalId, synthSwitchboard } from '../helpers/cdk-app';

describe('Infra: attribution', () => {
  const sb = synthSwitchboard({
    stage: 'dev',
    attribution: { conversionEvents: ['Order Completed', 'Subscription Started'], shards: 64, windowDays: 3 },
  });
  // The ledger-stream function's mappings (journey-events reads the same streams with its own filter).
  const ledgerStreamId = logicalId(sb.stateless, sb.stateless.functions.ledgerStream!.function);
  const mappings = (
    Object.values(sb.services.findResources('AWS::Lambda::EventSourceMapping')) as {
      Properties: {
        FunctionName: unknown;
        EventSourceArn: unknown;
        FilterCriteria?: { Filters: { Pattern: string }[] };
      };
    }[]
  ).filter((mapping) => JSON.stringify(mapping.Properties.FunctionName).includes(ledgerStreamId));
  const messagesTableId = logicalId(sb.stateful, sb.stateful.tables.messages.table);
  const onMessages = mappings.filter((mapping) =>
    JSON.stringify(mapping.Properties.EventSourceArn).includes(messagesTableId),
  );

  it('filters the messages stream to attempts, inbound, new messages and conversion touchpoints', () => {
    // Act
    const patterns = onMessages.flatMap((mapping) =>
      (mapping.Properties.FilterCriteria?.Filters ?? []).map((filter) => JSON.parse(filter.Pattern)),
    );

    // Assess
    expect(onMessages).toHaveLength(1);
    expect(patterns).toEqual([
      { dynamodb: { NewImage: { kind: { S: ['attempt'] } } } },
      { dynamodb: { NewImage: { kind: { S: ['inbound'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['message'] } } } },
      {
        eventName: ['INSERT'],
        dynamodb: {
          NewImage: { kind: { S: ['touchpoint'] }, name: { S: ['Order Completed', 'Subscription Started'] } },
        },
      },
    ]);
  });

  it('leaves the customers stream unfiltered (consent changes)', () => {
    // Act
    const customersTableId = logicalId(sb.stateful, sb.stateful.tables.customers.table);
    const onCustomers = mappings.filter((mapping) =>
      JSON.stringify(mapping.Properties.EventSourceArn).includes(customersTableId),
    );

    // Assess
    expect(onCustomers).toHaveLength(1);
    expect(onCustomers[0]?.Properties.FilterCriteria).toBeUndefined();
  });

  it('gives the ledger-stream function and the API the same settings', () => {
    // Act
    const stream = attributionConfigFromEnv(environmentOf(sb, 'ledgerStream'));
    const api = attributionConfigFromEnv(environmentOf(sb, 'api'));

    // Assess
    expect(stream).toEqual({
      conversionEvents: ['Order Completed', 'Subscription Started'],
      windowDays: 3,
      windowDaysByCategory: {},
      shards: 64,
    });
    expect(api.shards).toBe(64);
  });

  it('fails the synth on a setting the functions would reject', () => {
    expect(() => synthSwitchboard({ stage: 'dev', attribution: { shards: 0 } })).toThrow(
      /attribution|shards/,
    );
  });
});
