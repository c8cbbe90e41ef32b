import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { JourneyStats } from '../../functions/contract';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { launchBrowser } from '../helpers/browser';
import { isolatedResources, testEndpoints } from '../helpers/emulators';
import { eventually } from '../helpers/eventually';
import { aCustomerInput } from '../helpers/factories';

jest.setTimeout(180_000);

describe('Console: the Journeys view', () => {
  let runtime: LocalRuntime;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${runtime.localJson.httpUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const statsOf = async (journeyId: string) =>
    (await (await api('GET', `/v1/journeys/${journeyId}/stats`)).json()) as JourneyStats;

  beforeAll(async () => {
    // Real time: a cart run waits an hour for the order, so what the test does lands while it waits.
    runtime = await startLocalRuntime({
      rootDir: mkdtempSync(join(tmpdir(), 'switchboard-e2e-')),
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      handlersDir: join(__dirname, '..', '..', 'functions', 'handlers'),
      realChannels: new Set(),
      waitTimeSeconds: 1,
      sandbox: { firstCallbackMs: 20, callbackStepMs: 50 },
      log: () => {},
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  /** A shopper reachable by email; `track` sends her events through the API. */
  async function aShopper() {
    const customerId = `e2e-view-${randomUUID().slice(0, 8)}`;
    const profile = aCustomerInput({ customerId, addresses: { email: `${customerId}@example.com` } });
    expect((await api('PUT', `/v1/customers/${customerId}`, profile)).status).toBe(201);
    const track = async (event: string, properties: Record<string, unknown>, channel: string) =>
      expect(
        (
          await api('POST', '/v1/events', {
            type: 'track',
            event,
            userId: customerId,
            messageId: `m-${randomUUID()}`,
            timestamp: new Date().toISOString(),
            context: { channel },
            properties,
          })
        ).status,
      ).toBe(202);
    return { customerId, track };
  }

  it('shows each journey as its steps with the counts of the runs the engine played', async () => {
    // Prepare: three carts left — one still waiting, one bought in the store (a goal, and a
    // thank-you from post-purchase), one cancelled through the API.
    const waiting = await aShopper();
    const buyer = await aShopper();
    const cancelled = await aShopper();
    await waiting.track('Product Added', { cartId: 'cart-w', total: 20, currency: 'EUR' }, 'web');
    await buyer.track('Product Added', { cartId: 'cart-b', total: 59, currency: 'EUR' }, 'web');
    await cancelled.track('Product Added', { cartId: 'cart-c', total: 10, currency: 'EUR' }, 'web');
    await eventually(
      () => statsOf('cart-recovery'),
      (stats) => stats.waiting === 3,
      { what: 'the three carts waiting for their order' },
    );
    await buyer.track(
      'Order Completed',
      { cartId: 'cart-b', orderId: 'o-b', revenue: 59, currency: 'EUR' },
      'store',
    );
    expect(
      (await api('POST', '/v1/journeys/cart-recovery/cancel', { customerId: cancelled.customerId })).status,
    ).toBe(200);
    await eventually(
      async () => [await statsOf('cart-recovery'), await statsOf('post-purchase')] as const,
      ([cart, thanks]) => cart.waiting === 1 && cart.converted === 1 && thanks.exited.completed === 1,
      { what: 'the purchase and the cancel counted' },
    );

    // Act
    await page.goto(runtime.localJson.consoleUrl);
    await page.getByRole('link', { name: 'Journeys' }).click();
    const cart = page.getByRole('article', { name: 'Journey cart-recovery' });
    await cart.locator('table.journey-steps').waitFor();

    // Assess
    await expect(cart.getByRole('heading').textContent()).resolves.toBe('Cart recovery (cart-recovery, v1)');
    expect(await tableRows(cart.locator('table.journey-runs'))).toEqual([
      HEADINGS,
      ['3', '1', '2', '1', '0', '0', '—', '0', '1'],
    ]);
    expect(await tableRows(cart.locator('table.journey-steps'))).toEqual([
      ['Step', 'Type', 'Taken', 'Waiting', 'Outcomes', ''],
      ['wait-for-order', 'waitFor', '0', '1', '—', ''],
      ['push-reminder', 'send', '0', '0', '—', ''],
      ['wait-again', 'waitFor', '0', '0', '—', ''],
      ['whatsapp-reminder', 'send', '0', '0', '—', ''],
      ['reminded', 'exit', '0', '0', '—', ''],
      ['purchased', 'exit', '0', '0', '—', ''],
    ]);
    const thanks = page.getByRole('article', { name: 'Journey post-purchase' });
    expect(await tableRows(thanks.locator('table.journey-runs'))).toEqual([
      HEADINGS,
      ['1', '0', '1', '0', '0', '0', '—', '1', '0'],
    ]);
    expect(await tableRows(thanks.locator('table.journey-steps'))).toEqual([
      ['Step', 'Type', 'Taken', 'Waiting', 'Outcomes', ''],
      ['thank-you', 'send', '1', '0', 'sent order-thank-you 1', ''],
      ['done', 'exit', '1', '0', 'exit 1', ''],
    ]);
    expect(pageErrors).toEqual([]);
  });
});

/** The headings of a journey's runs table. */
const HEADINGS = [
  'Entered',
  'Waiting',
  'Exited',
  'Converted',
  'Holdout',
  'Holdout converted',
  'Lift',
  'Completed',
  'Cancelled',
];

/** A table's header and body rows as text. */
function tableRows(table: ReturnType<Page['locator']>): Promise<string[][]> {
  return table.evaluate((node) =>
    [...node.querySelectorAll('tr')].map((row) => [...row.children].map((cell) => cell.textContent ?? '')),
  );
}
