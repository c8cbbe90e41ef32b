import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { messagesDocuments } from '../../functions/adapters/dynamodb/messages-table';
import type { TimelinePage } from '../../functions/contract';
import type { LocalResources } from '../../local/emulators';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { launchBrowser } from '../helpers/browser';
import { isolatedResources, type TestClients, testClients, testEndpoints } from '../helpers/emulators';
import { eventually } from '../helpers/eventually';
import {
  aFakeClock,
  aJourneyEvent,
  aJourneyRunItem,
  aSeedJourney,
  effectsOf,
  RunDriver,
} from '../helpers/journeys';
import { putTimelineItem } from '../helpers/timeline';

jest.setTimeout(120_000);

const HOUR = 3_600_000;

describe('Console: journeys on the timeline', () => {
  let runtime: LocalRuntime;
  let resources: LocalResources;
  let clients: TestClients;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${runtime.localJson.httpUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    resources = await isolatedResources();
    clients = testClients();
    runtime = await startLocalRuntime({
      rootDir: mkdtempSync(join(tmpdir(), 'switchboard-e2e-')),
      emulators: { ...testEndpoints(), ...resources },
      handlersDir: join(__dirname, '..', '..', 'functions', 'handlers'),
      realChannels: new Set(),
      waitTimeSeconds: 1,
      sandbox: { firstCallbackMs: 20, callbackStepMs: 50 },
      log: () => {},
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    clients?.destroy();
  });

  it("shows her runs' moments and, on the reminder, the journey and step that sent it", async () => {
    // Prepare: a cart left two hours ago, reminded by push after one hour (the real interpreter's
    // run, stored in SPEC-18's layout), the reminder it asked for routed by the real router, and a
    // second cart she bought.
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
      (await api('PUT', `/v1/customers/${customerId}`, { addresses: { sms: '+14155550177' } })).status,
    ).toBe(201);
    const documents = messagesDocuments(clients.dynamodb);
    for (const run of [cart.run!, bought.run!])
      await putTimelineItem(documents, resources.tables.messages, aJourneyRunItem(run));
    // The reminder as the engine publishes it (its requestId and metadata), with plain content in
    // place of the cart template's data, as a transactional message so no consent is needed.
    const sent = await api('POST', '/v1/messages', {
      ...push,
      category: 'transactional',
      content: { text: 'Your cart is waiting: 10% off with COMEBACK10' },
      template: undefined,
      data: undefined,
      routing: undefined,
    });
    expect(sent.status).toBe(202);
    await eventually(
      async () =>
        (
          (await (
            await api('GET', `/v1/customers/${customerId}/timeline?types=message`)
          ).json()) as TimelinePage
        ).entries,
      (entries) => entries.length === 1,
      { what: 'the reminder on her timeline' },
    );
    await page.goto(runtime.localJson.consoleUrl);
    await page.getByText('Live ·').waitFor();

    // Act
    await page.getByLabel('Customer id').fill(customerId);
    await page.getByRole('button', { name: 'Show timeline' }).click();
    const timeline = page.getByRole('list', { name: `Timeline of ${customerId}` });
    await timeline.waitFor();

    // Assess
    const moments = await timeline.locator(':scope > li[data-kind="journey"]').allTextContents();
    expect(moments.map((text) => text.replace(/^.*?Journey/, 'Journey'))).toEqual([
      'Journeycart-recovery entered on Product Added, key cart-1',
      expect.stringMatching(/^Journeycart-recovery waiting in wait-for-order$/),
      'Journeycart-recovery entered on Product Added, key cart-2',
      'Journeycart-recovery waiting',
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
    expect(pageErrors).toEqual([]);
  });
});
