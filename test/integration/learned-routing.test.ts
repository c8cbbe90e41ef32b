/**
 * Learned channel choice end to end on DynamoDB Local and fauxqs: attempts recorded by the real
 * ledger, counted by the real stream consumer into the customer's item and the population shards,
 * then a learned request routed by the real router handler, its explanation on the timeline.
 */

import { DynamoDbAttemptLedger } from '../../functions/adapters/dynamodb/attempt-ledger';
import {
  DynamoDbEngagementCounters,
  engagementOfItem,
} from '../../functions/adapters/dynamodb/engagement-counters';
import { DynamoDbPopulationRates } from '../../functions/adapters/dynamodb/population-rates';
import type { Channel, Customer } from '../../functions/contract';
import { type ChannelEngagement, populationKey } from '../../functions/domain/channel-choice';
import { learnedRoutingConfigFromEnv } from '../../functions/learned-routing-config';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients, testEndpoints } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest, consent } from '../helpers/factories';
import { type LedgerStreamUnderTest, startLedgerStream } from '../helpers/ledger-stream';
import { routerUnderTest } from '../helpers/router';
import { entriesOf } from '../helpers/timeline';

// 14:00 in Paris: outside quiet hours.
const NOW = new Date('2026-11-23T13:00:00Z');

/** Léa: says email first, reachable by email and WhatsApp, opted in to marketing on both. */
function lea(): Customer {
  return aCustomer({
    addresses: { whatsapp: '+33612345678', email: 'lea@example.com' },
    preferences: { channels: ['email', 'whatsapp'] },
    consent: { marketing: { email: consent('opted_in'), whatsapp: consent('opted_in') } },
  });
}

/** Counts to nine decimals (forward decay multiplies and divides by powers of two). */
function rounded(counts: ChannelEngagement | undefined) {
  return (
    counts &&
    Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, Number(value.toFixed(9))]))
  );
}

describe('Learned channel choice on the emulators', () => {
  const clients = testClients();
  let resources: LocalResources;
  let stream: LedgerStreamUnderTest | undefined;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
  });
  afterEach(async () => {
    await stream?.stop();
    stream = undefined;
  });

  const countersFor = (halfLifeDays = 90) =>
    new DynamoDbEngagementCounters({
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      halfLifeDays,
      now: () => NOW,
    });

  /** Records `sends` past marketing messages on a channel through the ledger, `engaged` of them read or opened. */
  async function history(customerId: string, channel: Channel, sends: number, engaged: number) {
    const ledger = new DynamoDbAttemptLedger({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    for (let index = 0; index < sends; index++) {
      const key = { customerId, messageId: `m-${channel}-${index}`, channel, attempt: 1 };
      await ledger.leaseAttempt(key, {
        owner: 'test',
        leaseSeconds: 30,
        now: NOW,
        queuedAt: NOW.toISOString(),
        context: {
          requestId: `r-${channel}-${index}`,
          category: 'marketing',
          metadata: {},
          fallbackAllowed: true,
        },
      });
      await ledger.recordSent(key, { provider: 'sandbox', providerMessageId: `p-${channel}-${index}` }, NOW);
      await ledger.recordReceiptStatus(key, { status: 'delivered', at: NOW });
      if (index < engaged) {
        await ledger.recordReceiptStatus(key, { status: channel === 'email' ? 'opened' : 'read', at: NOW });
      }
    }
  }

  it('counts sends, deliveries and engagements from the stream, and routes a learned request to the better channel with its explanation on the timeline', async () => {
    // Prepare
    const endpoints = testEndpoints();
    const { handler, store, timeline, channelMessages } = routerUnderTest(resources, clients, {
      now: () => NOW,
      learned: {
        ...learnedRoutingConfigFromEnv({}),
        choice: { ...learnedRoutingConfigFromEnv({}).choice, maxExplorationShare: 0 },
      },
    });
    const customer = lea();
    await store.put(customer);
    stream = await startLedgerStream(endpoints, resources, clients, { engagement: countersFor() });
    await history(customer.customerId, 'whatsapp', 14, 12);
    await history(customer.customerId, 'email', 22, 2);
    await stream.caughtUp();

    // Act
    const response = await handler(
      anSqsEvent([
        aRequest(customer.customerId, { category: 'marketing', routing: { strategy: 'learned' } }),
      ]),
    );

    // Assess
    const item = (await store.getProfileItem(customer.customerId)) ?? {};
    const engagement = engagementOfItem(item, NOW.getTime());
    expect(rounded(engagement.whatsapp)).toMatchObject({ sends: 14, deliveries: 14, engagements: 12 });
    expect(rounded(engagement.email)).toMatchObject({ sends: 22, deliveries: 22, engagements: 2 });
    const population = await new DynamoDbPopulationRates({
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      now: () => NOW,
    }).countsFor(['marketing']);
    expect(rounded(population[populationKey('whatsapp', 'marketing')])).toMatchObject({
      sends: 14,
      engagements: 12,
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(await channelMessages('whatsapp')).toHaveLength(1);
    expect(await channelMessages('email')).toHaveLength(0);
    const [message] = (await entriesOf(timeline, customer.customerId, 'message')).filter(
      (entry) => entry.choice,
    );
    expect(message?.choice).toEqual({
      strategy: 'learned',
      channel: 'whatsapp',
      propensity: 1,
      explored: false,
      explanation: expect.stringMatching(
        /^whatsapp: 0\.\d\d engaged.* over 14 sends vs email .* over 22; cost 0\.025 vs 0\.0004$/,
      ),
    });
  });

  it('keeps the counters when the profile is replaced', async () => {
    // Prepare
    const customer = lea();
    const { store } = routerUnderTest(resources, clients);
    await store.put(customer);
    const counters = countersFor();
    await counters.count({
      customerId: customer.customerId,
      messageId: 'm-1',
      category: 'marketing',
      event: { channel: 'whatsapp', kind: 'sent', atMs: NOW.getTime() },
    });

    // Act
    await store.put({ ...customer, locale: 'fr-FR' });

    // Assess
    const item = (await store.getProfileItem(customer.customerId)) ?? {};
    expect(engagementOfItem(item, NOW.getTime()).whatsapp?.sends).toBeCloseTo(1, 9);
  });

  it('never creates a profile for a customer it does not know (erased), while still counting the population', async () => {
    // Prepare
    const counters = countersFor();
    const { store } = routerUnderTest(resources, clients);

    // Act
    await counters.count({
      customerId: 'gone',
      messageId: 'm-1',
      category: 'marketing',
      event: { channel: 'email', kind: 'sent', atMs: NOW.getTime() },
    });

    // Assess
    expect(await store.getProfileItem('gone')).toBeUndefined();
    const population = await new DynamoDbPopulationRates({
      client: clients.dynamodb,
      tableName: resources.tables.customers,
      now: () => NOW,
    }).countsFor(['marketing']);
    expect(population[populationKey('email', 'marketing')]?.sends).toBeCloseTo(1, 9);
  });

  it('re-expresses the counts on a new scale when the half-life is reconfigured, losing nothing', async () => {
    // Prepare
    const customer = lea();
    const { store } = routerUnderTest(resources, clients);
    await store.put(customer);
    const event = (atMs: number) => ({
      customerId: customer.customerId,
      messageId: 'm-1',
      event: { channel: 'email' as const, kind: 'sent' as const, atMs },
    });
    await countersFor(90).count(event(NOW.getTime()));

    // Act
    await countersFor(30).count(event(NOW.getTime()));

    // Assess
    const item = (await store.getProfileItem(customer.customerId)) ?? {};
    expect(item.engagementScale).toMatch(/\/30$/);
    expect(engagementOfItem(item, NOW.getTime()).email?.sends).toBeCloseTo(2, 9);
  });
});
