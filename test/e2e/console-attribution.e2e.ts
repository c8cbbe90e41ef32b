import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { launchBrowser } from '../helpers/browser';
import { isolatedResources, testEndpoints } from '../helpers/emulators';
import { eventually } from '../helpers/eventually';

jest.setTimeout(120_000);

describe('Console: conversions by channel', () => {
  let runtime: LocalRuntime;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${runtime.localJson.httpUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
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

  it('draws a store purchase credited to the SMS before it, with its revenue', async () => {
    // Prepare
    await page.goto(runtime.localJson.consoleUrl);
    await page.getByText('Live ·').waitFor();
    await api('PUT', '/v1/customers/e2e-cam', { addresses: { sms: '+14155550188' } });
    const sent = await api('POST', '/v1/messages', {
      schemaVersion: 1,
      requestId: 'e2e-basket',
      customerId: 'e2e-cam',
      category: 'transactional',
      content: { text: 'Your basket is waiting' },
    });
    expect(sent.status).toBe(202);
    await eventually(
      () =>
        page
          .locator('#attribution-table tr[data-channel="sms"] td')
          .first()
          .textContent()
          .catch(() => null),
      (sentCount) => sentCount === '1',
      { what: 'the SMS counted as sent in the chart' },
    );

    // Act
    const posted = await api('POST', '/v1/events', {
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
    const row = page.locator('#attribution-table tr[data-channel="sms"]');
    await eventually(
      () => row.locator('[data-field="conversions"]').textContent(),
      (conversions) => conversions === '1',
      { what: 'the conversion in the chart' },
    );
    expect(await row.locator('[data-field="revenue"]').textContent()).toBe('30 EUR');
    await expect(page.locator('#attribution .bar-group[data-channel="sms"]').textContent()).resolves.toMatch(
      /Conversions.*1.*Revenue EUR.*30/,
    );
    expect(pageErrors).toEqual([]);
  });
});
