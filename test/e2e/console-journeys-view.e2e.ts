import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { JourneyStats, TouchpointChannel } from '../../functions/contract';
import { type ConsoleUnderTest, openConsole } from '../helpers/console';
import { eventually } from '../helpers/eventually';
import { aCustomerInput } from '../helpers/factories';

jest.setTimeout(180_000);

describe('Console: the Journeys view', () => {
  let ui: ConsoleUnderTest;
  const statsOf = async (journeyId: string) =>
    (await (await ui.api('GET', `/v1/journeys/${journeyId}/stats`)).json()) as JourneyStats;

  // Real time: a cart run waits an hour for the order, so what the test does lands while it waits.
  beforeAll(async () => {
    ui = await openConsole();
  });
  afterAll(() => ui?.close());

  /** A shopper reachable by email; `track` sends her events through the API. */
  async function aShopper() {
    const customerId = `e2e-view-${randomUUID().slice(0, 8)}`;
    const profile = aCustomerInput({ customerId, addresses: { email: `${customerId}@example.com` } });
    expect((await ui.api('PUT', `/v1/customers/${customerId}`, profile)).status).toBe(201);
    const track = async (event: string, properties: Record<string, unknown>, channel: TouchpointChannel) =>
      expect((await ui.track(customerId, event, properties, channel)).status).toBe(202);
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
      (await ui.api('POST', '/v1/journeys/cart-recovery/cancel', { customerId: cancelled.customerId }))
        .status,
    ).toBe(200);
    await eventually(
      async () => [await statsOf('cart-recovery'), await statsOf('post-purchase')] as const,
      ([cart, thanks]) => cart.waiting === 1 && cart.converted === 1 && thanks.exited.completed === 1,
      { what: 'the purchase and the cancel counted' },
    );

    // Act
    await ui.page.goto(ui.runtime.localJson.consoleUrl);
    await ui.page.getByRole('link', { name: 'Journeys' }).click();
    const cart = ui.page.getByRole('article', { name: 'Journey cart-recovery' });
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
    const thanks = ui.page.getByRole('article', { name: 'Journey post-purchase' });
    expect(await tableRows(thanks.locator('table.journey-runs'))).toEqual([
      HEADINGS,
      ['1', '0', '1', '0', '0', '0', '—', '1', '0'],
    ]);
    expect(await tableRows(thanks.locator('table.journey-steps'))).toEqual([
      ['Step', 'Type', 'Taken', 'Waiting', 'Outcomes', ''],
      ['thank-you', 'send', '1', '0', 'sent order-thank-you 1', ''],
      ['done', 'exit', '1', '0', 'exit 1', ''],
    ]);
    expect(ui.pageErrors).toEqual([]);
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
