import { randomUUID } from 'node:crypto';
import { DynamoDbJourneyRunStore } from '../../functions/adapters/dynamodb/journey-run-store';
import type { TimelineEntry, TimelinePage, TouchpointChannel } from '../../functions/contract';
import type { LocalResources } from '../../local/emulators';
import { type ConsoleUnderTest, openConsole } from '../helpers/console';
import { isolatedResources, testClients } from '../helpers/emulators';
import { eventually } from '../helpers/eventually';
import { aShopperInput } from '../helpers/factories';
import { aFakeClock, aJourneyEvent, aSeedJourney, effectsOf, RunDriver } from '../helpers/journeys';

jest.setTimeout(180_000);

const HOUR = 3_600_000;

describe('Console: journeys on the timeline', () => {
  let ui: ConsoleUnderTest;
  let resources: LocalResources;
  const clients = testClients();

  /** The customer's timeline through the API. */
  const timelineOf = async (customerId: string, types: string): Promise<TimelineEntry[]> =>
    (
      (await (
        await ui.api('GET', `/v1/customers/${customerId}/timeline?limit=100&types=${types}`)
      ).json()) as TimelinePage
    ).entries;

  /** Opens the console live and shows the customer's timeline, once drawn. */
  const showTimeline = async (customerId: string) => {
    await ui.page.goto(ui.runtime.localJson.consoleUrl);
    await ui.page.getByText('Live ·').waitFor();
    await ui.page.getByLabel('Customer id').fill(customerId);
    await ui.page.getByRole('button', { name: 'Show timeline' }).click();
    const timeline = ui.page.getByRole('list', { name: `Timeline of ${customerId}` });
    await timeline.waitFor();
    return timeline;
  };

  beforeAll(async () => {
    resources = await isolatedResources();
    // Journey time compressed 36,000×: cart-recovery's hour is 0.1 s, its day 2.4 s.
    ui = await openConsole({ resources, timeScale: 36_000, viewport: { width: 1100, height: 900 } });
  });
  afterAll(async () => {
    await ui?.close();
    clients.destroy();
  });

  it('shows the moments of the runs the engine played for her, and which journey step sent each message', async () => {
    // Prepare: a shopper reachable on WhatsApp, opted in to marketing.
    const customerId = `e2e-shopper-${randomUUID().slice(0, 8)}`;
    expect((await ui.api('PUT', `/v1/customers/${customerId}`, aShopperInput(customerId))).status).toBe(201);
    const track = (event: string, properties: Record<string, unknown>, channel: TouchpointChannel) =>
      ui.track(customerId, event, properties, channel);

    // Act: she leaves her cart (both reminders go out and the run ends), then buys in the store.
    const cart = {
      cartId: 'cart-1',
      items: [{ name: 'Linen shirt', quantity: 1, price: 59 }],
      total: 59,
      currency: 'EUR',
    };
    expect((await track('Product Added', cart, 'web')).status).toBe(202);
    await eventually(
      () => timelineOf(customerId, 'journey'),
      (entries) => entries.some((entry) => entry.type === 'journey' && entry.event === 'exited'),
      { what: 'the cart-recovery run to end', timeoutMs: 60_000 },
    );
    const order = { cartId: 'cart-1', orderId: 'o-1', revenue: 59, currency: 'EUR', products: cart.items };
    expect((await track('Order Completed', order, 'store')).status).toBe(202);
    await eventually(
      () => timelineOf(customerId, 'message'),
      (messages) => messages.length === 3,
      { what: 'both reminders and the thank-you recorded by the router', timeoutMs: 60_000 },
    );
    const timeline = await showTimeline(customerId);

    // Assess
    const moments = (await timeline.locator(':scope > li[data-kind="journey"]').allTextContents()).map(
      (text) => text.replace(/^.*?Journey/, ''),
    );
    expect(moments.filter((text) => text.startsWith('cart-recovery'))).toEqual([
      'cart-recovery entered on Product Added, key cart-1',
      'cart-recovery waiting in wait-for-order',
      'cart-recovery step wait-for-order: timeout',
      'cart-recovery step push-reminder: sent cart-reminder',
      'cart-recovery waiting in wait-again',
      'cart-recovery step wait-again: timeout',
      'cart-recovery step whatsapp-reminder: sent cart-reminder',
      'cart-recovery exited: completed (reminders sent)',
    ]);
    expect(moments.filter((text) => text.startsWith('post-purchase'))).toEqual([
      'post-purchase entered on Order Completed, key o-1',
      'post-purchase step thank-you: sent order-thank-you',
      'post-purchase exited: completed (thanked)',
    ]);
    const sentBy = await timeline.locator(':scope > li[data-kind="outbound"] .sent-by').allTextContents();
    expect(sentBy.sort()).toEqual([
      'sent by journey cart-recovery, step push-reminder',
      'sent by journey cart-recovery, step whatsapp-reminder',
      'sent by journey post-purchase, step thank-you',
    ]);
    expect(ui.pageErrors).toEqual([]);
  });

  it('shows a goal that ended a run while it waited, and the step that sent a message it stored', async () => {
    // Prepare: a cart left two hours ago, reminded by push after one hour (the real interpreter's
    // run, stored by the run store as the engine would), the reminder it asked for routed by the
    // real router, and a second cart she bought.
    const customerId = 'e2e-jo';
    const entered = new Date(Date.now() - 2 * HOUR).toISOString();
    const cart = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(entered));
    cart.enter(aJourneyEvent('Product Added', entered, { cartId: 'cart-1' }, { customerId }));
    const push = effectsOf(cart.fireTimer(), 'send')[0]!.request;
    const secondCart = new Date(Date.parse(entered) + HOUR / 60).toISOString();
    const bought = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock(secondCart));
    bought.enter(aJourneyEvent('Product Added', secondCart, { cartId: 'cart-2' }, { customerId }));
    const purchase = new Date(Date.parse(entered) + HOUR / 2).toISOString();
    bought.event(aJourneyEvent('Order Completed', purchase, { cartId: 'cart-2' }, { customerId }));
    expect(
      (await ui.api('PUT', `/v1/customers/${customerId}`, { addresses: { sms: '+14155550177' } })).status,
    ).toBe(201);
    const runs = new DynamoDbJourneyRunStore({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    for (const run of [cart.run!, bought.run!])
      await runs.put({ run, dispatched: {}, lastEffects: [] }, undefined);
    // The reminder as the engine publishes it (its requestId and metadata), with plain content in
    // place of the cart template's data, as a transactional message so no consent is needed.
    const sent = await ui.api('POST', '/v1/messages', {
      ...push,
      category: 'transactional',
      content: { text: 'Your cart is waiting: 10% off with COMEBACK10' },
      template: undefined,
      data: undefined,
      routing: undefined,
    });
    expect(sent.status).toBe(202);
    await eventually(
      () => timelineOf(customerId, 'message'),
      (entries) => entries.length === 1,
      { what: 'the reminder on her timeline' },
    );

    // Act
    const timeline = await showTimeline(customerId);

    // Assess
    const moments = await timeline.locator(':scope > li[data-kind="journey"]').allTextContents();
    expect(moments.map((text) => text.replace(/^.*?Journey/, 'Journey'))).toEqual([
      'Journeycart-recovery entered on Product Added, key cart-1',
      expect.stringMatching(/^Journeycart-recovery waiting in wait-for-order$/),
      'Journeycart-recovery entered on Product Added, key cart-2',
      'Journeycart-recovery waiting in wait-for-order',
      'Journeycart-recovery exited: goal (Order Completed)',
      'Journeycart-recovery step wait-for-order: timeout',
      'Journeycart-recovery step push-reminder: sent cart-reminder',
      expect.stringMatching(/^Journeycart-recovery waiting in wait-again until /),
    ]);
    const message = timeline.locator(':scope > li[data-kind="outbound"]');
    await expect(message.textContent()).resolves.toContain(
      'sent by journey cart-recovery, step push-reminder',
    );
    const order = await timeline
      .locator(':scope > li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')));
    expect(order.at(-1)).toBe('outbound');
    expect(ui.pageErrors).toEqual([]);
  });
});
