import { type ConsoleUnderTest, openConsole } from '../helpers/console';
import { eventually } from '../helpers/eventually';

jest.setTimeout(120_000);

describe('Console: conversions by channel', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    ui = await openConsole();
  });
  afterAll(() => ui?.close());

  it('draws a store purchase credited to the SMS before it, with its revenue', async () => {
    // Prepare
    await ui.page.goto(ui.runtime.localJson.consoleUrl);
    await ui.page.getByText('Live ·').waitFor();
    await ui.api('PUT', '/v1/customers/e2e-cam', { addresses: { sms: '+14155550188' } });
    const sent = await ui.api('POST', '/v1/messages', {
      schemaVersion: 1,
      requestId: 'e2e-basket',
      customerId: 'e2e-cam',
      category: 'transactional',
      content: { text: 'Your basket is waiting' },
    });
    expect(sent.status).toBe(202);
    await eventually(
      () =>
        ui.page
          .locator('#attribution-table tr[data-channel="sms"] td')
          .first()
          .textContent()
          .catch(() => null),
      (sentCount) => sentCount === '1',
      { what: 'the SMS counted as sent in the chart' },
    );

    // Act
    const posted = await ui.api('POST', '/v1/events', {
      type: 'track',
      event: 'Order Completed',
      userId: 'e2e-cam',
      messageId: 'e2e-order-1',
      timestamp: new Date().toISOString(),
      properties: { revenue: 30, currency: 'EUR' },
      context: { channel: 'store' },
    });

    // Assess
    expect(posted.status).toBe(202);
    const row = ui.page.locator('#attribution-table tr[data-channel="sms"]');
    await eventually(
      () => row.locator('[data-field="conversions"]').textContent(),
      (conversions) => conversions === '1',
      { what: 'the conversion in the chart' },
    );
    expect(await row.locator('[data-field="revenue"]').textContent()).toBe('30 EUR');
    await expect(
      ui.page.locator('#attribution .bar-group[data-channel="sms"]').textContent(),
    ).resolves.toMatch(/Conversions.*1.*Revenue EUR.*30/);
    expect(ui.pageErrors).toEqual([]);
  });
});
