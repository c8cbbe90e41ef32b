import { randomUUID } from 'node:crypto';
import { SwitchboardApiClient } from '@switchboard/client';
import { DynamoDbJourneyRunStore } from '../../../functions/adapters/dynamodb/journey-run-store';
import type { TimelineMessageEntry, TouchpointEventInput } from '../../../functions/contract';
import type { StoredRun } from '../../../functions/domain/journeys';
import type { LocalRuntime } from '../../../local/runtime';
import { testClients } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';
import { aShopperInput } from '../../helpers/factories';
import { startTestRuntime } from '../../helpers/local-runtime';
import { aTrackEvent } from '../../helpers/touchpoints';

jest.setTimeout(120_000);

/** The journey engine, the API and the router. */
const ENGINE = ['api', 'journey-events', 'journey-timers', 'route-messages'];

/** A customer reachable on push and WhatsApp, opted in to marketing, no quiet hours. */
async function aShopper(api: SwitchboardApiClient): Promise<string> {
  const customerId = `c-journey-${randomUUID().slice(0, 8)}`;
  await api.putCustomer(aShopperInput(customerId));
  return customerId;
}

/** Her cart left on the web now. */
function productAdded(customerId: string, cartId: string): TouchpointEventInput {
  return aTrackEvent({
    event: 'Product Added',
    userId: customerId,
    timestamp: new Date().toISOString(),
    context: { channel: 'web' },
    properties: {
      cartId,
      items: [{ name: 'Linen shirt', quantity: 1, price: 59 }],
      total: 59,
      currency: 'EUR',
      cartUrl: 'https://shop.example.com/cart',
    },
  });
}

/** Her order of that cart, in the store now. */
function orderCompleted(customerId: string, cartId: string): TouchpointEventInput {
  return aTrackEvent({
    event: 'Order Completed',
    userId: customerId,
    timestamp: new Date().toISOString(),
    context: { channel: 'store' },
    properties: {
      cartId,
      orderId: `o-${cartId}`,
      orderUrl: `https://shop.example.com/orders/o-${cartId}`,
      total: 59,
      revenue: 59,
      currency: 'EUR',
      products: [{ name: 'Linen shirt', quantity: 1, price: 59 }],
    },
  });
}

async function journeyMessages(api: SwitchboardApiClient, customerId: string) {
  const page = await api.timeline(customerId, { limit: 50, types: ['message'] });
  return page.entries.filter(
    (entry): entry is TimelineMessageEntry => entry.type === 'message' && entry.requestId.startsWith('jr_'),
  );
}

describe('Journey engine on the local runtime', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  describe('cart-recovery when she never buys (time compressed 36,000×)', () => {
    let runtime: LocalRuntime;
    let api: SwitchboardApiClient;
    let runs: DynamoDbJourneyRunStore;
    beforeAll(async () => {
      runtime = await startTestRuntime({ handlers: ENGINE, timeScale: 36_000 });
      api = new SwitchboardApiClient({ baseUrl: runtime.localJson.httpUrl });
      runs = new DynamoDbJourneyRunStore({
        client: clients.dynamodb,
        tableName: runtime.localJson.tables.messages,
      });
    });
    afterAll(() => runtime?.stop());

    it('sends the push reminder after the hour and the WhatsApp reminder after the day, then ends', async () => {
      // Prepare
      const customerId = await aShopper(api);

      // Act
      await api.recordEvents(productAdded(customerId, 'cart-1'));

      // Assess
      const run = await eventually(
        () => runs.get({ customerId, journeyId: 'cart-recovery', key: 'cart-1' }),
        (stored: StoredRun | undefined) => stored?.run.status === 'exited',
        { what: 'the cart-recovery run to end', timeoutMs: 60_000 },
      );
      expect(run?.run.exit).toMatchObject({ reason: 'completed', detail: 'reminders sent' });
      expect(run?.run.path.map((entry) => `${entry.stepId}:${entry.outcome}`)).toEqual([
        'wait-for-order:timeout',
        'push-reminder:sent cart-reminder',
        'wait-again:timeout',
        'whatsapp-reminder:sent cart-reminder',
        'reminded:exit',
      ]);
      const messages = await eventually(
        () => journeyMessages(api, customerId),
        (found) => found.length === 2,
        { what: 'both reminders recorded by the router' },
      );
      expect(messages.map((message) => message.requestId).sort()).toEqual(
        [`${run?.run.runId}.push-reminder`, `${run?.run.runId}.whatsapp-reminder`].sort(),
      );
    });
  });

  describe('cart-recovery and post-purchase when she buys in the store (real time)', () => {
    let runtime: LocalRuntime;
    let api: SwitchboardApiClient;
    let runs: DynamoDbJourneyRunStore;
    beforeAll(async () => {
      runtime = await startTestRuntime({ handlers: ENGINE, timeScale: 1 });
      api = new SwitchboardApiClient({ baseUrl: runtime.localJson.httpUrl });
      runs = new DynamoDbJourneyRunStore({
        client: clients.dynamodb,
        tableName: runtime.localJson.tables.messages,
      });
    });
    afterAll(() => runtime?.stop());

    it('ends the cart run on the purchase with no reminder, and thanks her once for the order', async () => {
      // Prepare
      const customerId = await aShopper(api);
      await api.recordEvents(productAdded(customerId, 'cart-2'));
      await eventually(
        () => runs.get({ customerId, journeyId: 'cart-recovery', key: 'cart-2' }),
        (stored: StoredRun | undefined) => stored?.run.position?.stepId === 'wait-for-order',
        { what: 'the cart run waiting for the order' },
      );

      // Act
      const order = orderCompleted(customerId, 'cart-2');
      await api.recordEvents(order);
      await api.recordEvents(order); // a publisher's retry: the same messageId

      // Assess
      const cart = await eventually(
        () => runs.get({ customerId, journeyId: 'cart-recovery', key: 'cart-2' }),
        (stored: StoredRun | undefined) => stored?.run.status === 'exited',
        { what: 'the cart run to end' },
      );
      expect(cart?.run.exit?.reason).toBe('goal');
      const thanks = await eventually(
        () => runs.get({ customerId, journeyId: 'post-purchase', key: 'o-cart-2' }),
        (stored: StoredRun | undefined) => stored?.run.status === 'exited',
        { what: 'the post-purchase run to end' },
      );
      const messages = await eventually(
        () => journeyMessages(api, customerId),
        (found) => found.length >= 1,
        { what: 'the thank-you recorded by the router' },
      );
      expect(messages.map((message) => message.requestId)).toEqual([`${thanks?.run.runId}.thank-you`]);
      expect(messages[0]).toMatchObject({ category: 'transactional' });
      expect(messages[0]?.status).not.toBe('rejected');
    });
  });
});
