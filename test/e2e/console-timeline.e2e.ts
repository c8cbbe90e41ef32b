import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BrowserContext, Page } from 'playwright-core';
import { messagesDocuments } from '../../functions/adapters/dynamodb/messages-table';
import { DynamoDbTouchpointStore } from '../../functions/adapters/dynamodb/touchpoint-store';
import type { TimelineEntry, TimelineMessageEntry } from '../../functions/contract';
import { runDemo } from '../../local/demo';
import { localClientConfig } from '../../local/emulators';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { launchBrowser } from '../helpers/browser';
import { isolatedResources, testEndpoints } from '../helpers/emulators';
import { eventually } from '../helpers/eventually';
import { aConversionItem, putTimelineItem } from '../helpers/timeline';

jest.setTimeout(120_000);

describe('Console: the demo journey on the unified timeline', () => {
  let runtime: LocalRuntime;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

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
    await page.setViewportSize({ width: 1100, height: 900 });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  it('shows the journey in order: fallback, reply, STOP opt-out, the offer by email, the store purchase and its conversion', async () => {
    // Prepare
    await page.goto(runtime.localJson.consoleUrl);
    await page.getByText('Live ·').waitFor();

    // Act
    const demoPage = await runDemo({ local: runtime.localJson, say: () => {} });
    await storePurchase(runtime, demoPage.entries);
    await page.getByLabel('Search customers').fill('camille');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'camille (Camille)' }).click();
    const timeline = page.getByRole('list', { name: 'Timeline of camille' });
    await timeline.waitFor();

    // Assess
    const entries = timeline.locator(':scope > li[data-kind="outbound"], :scope > li[data-kind="inbound"]');
    await expect(entries.count()).resolves.toBe(6);
    const texts = await entries.allTextContents();
    expect(
      texts.map((text) => /cart-reminder|back-in-stock|order-thank-you|weekly-offer|Reply/.exec(text)?.[0]),
    ).toEqual(['cart-reminder', 'Reply', 'back-in-stock', 'order-thank-you', 'Reply', 'weekly-offer']);
    expect(texts[0]).toContain('Fell back to another channel');
    expect(texts[0]).toMatch(/PUSH failed \(UNREGISTERED\)/);
    expect(texts[4]).toContain('STOP');
    expect(texts[4]).toContain('Consent change: opt-out on SMS');
    expect(texts[5]).toMatch(/SMS skipped: opted out of marketing/);
    expect(texts[5]).toMatch(/@ delivered/);
    const touchpoint = timeline.locator(':scope > li[data-kind="touchpoint"]');
    await expect(touchpoint.textContent()).resolves.toMatch(/Store\s*track\s*Order Completed/);
    const conversion = timeline.locator(':scope > li[data-kind="conversion"]');
    await expect(conversion.textContent()).resolves.toMatch(
      /Store\s*Conversion\s*Order Completed\s*59\.90 EUR\s*Credited: WA back-in-stock/,
    );
    const kinds = await timeline
      .locator(':scope > li')
      .evaluateAll((items) => items.map((li) => li.dataset.kind));
    expect(kinds.slice(-2)).toEqual(['touchpoint', 'conversion']);
    const consent = await timeline.locator(':scope > li[data-kind="consent"]').allTextContents();
    expect(consent.some((text) => /SMS\s*Consent\s*marketing: opted-out/.test(text))).toBe(true);
    const email = page.frameLocator('.entry[data-channel="email"] iframe.email-frame').first();
    await expect(email.locator('body').textContent()).resolves.toMatch(/Winter layers, 20% off/);
    expect(await funnelOnceSettled(page)).toEqual({
      // The cart reminder's push to the dead token: refused at send, UNREGISTERED.
      push: { Queued: '1', Sent: '0', Delivered: '0', 'Read / opened': '0', Failed: '1' },
      // The fallback of the cart reminder, the stock answer and the thank-you: each read.
      whatsapp: { Queued: '3', Sent: '3', Delivered: '3', 'Read / opened': '3', Failed: '0' },
      // The weekly offer skipped SMS (opted out): no attempt.
      sms: { Queued: '0', Sent: '0', Delivered: '0', 'Read / opened': '0', Failed: '0' },
      email: { Queued: '1', Sent: '1', Delivered: '1', 'Read / opened': '1', Failed: '0' },
    });
    const failures = await page
      .locator('#failure-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent)));
    expect(failures).toEqual([['Push', '—', 'UNREGISTERED', 'failed', expect.any(String), '1']]);
    expect(pageErrors).toEqual([]);
    // The committed docs/console-timeline.png is refreshed on request only, so CI leaves the tree clean.
    if (process.env.SWITCHBOARD_UPDATE_SCREENSHOTS === '1') {
      await page
        .locator('#customers')
        .screenshot({ path: join(__dirname, '..', '..', 'docs', 'console-timeline.png') });
    }
  });
});

/**
 * Camille buys in the store after the demo: the touchpoint as the touchpoint store writes it, and its
 * conversion item in the shape attribution writes (issue 17 SPEC), crediting the WhatsApp answer.
 * Written to the table, not posted to `/v1/events`: the demo erased and re-created Camille, and
 * events for a customer with an erasure tombstone are refused for its 15 days.
 */
async function storePurchase(runtime: LocalRuntime, entries: readonly TimelineEntry[]): Promise<void> {
  const credited = entries.find(
    (entry): entry is TimelineMessageEntry =>
      entry.type === 'message' && entry.request?.template === 'back-in-stock',
  );
  if (!credited) throw new Error('the demo left no back-in-stock message on the timeline');
  const occurredAt = new Date(Date.now() + 1000).toISOString();
  const client = new DynamoDBClient(localClientConfig(runtime.localJson, runtime.localJson.dynamodbEndpoint));
  const tableName = runtime.localJson.tables.messages;
  await new DynamoDbTouchpointStore({ client, tableName }).put(
    { kind: 'customer', customerId: 'camille' },
    {
      messageId: 'store-purchase',
      type: 'track',
      name: 'Order Completed',
      customerId: 'camille',
      channel: 'store',
      occurredAt,
      receivedAt: occurredAt,
      properties: { revenue: 59.9, currency: 'EUR', store: 'Lumière Opéra' },
    },
  );
  const item = aConversionItem('camille', {
    conversionId: 'store-purchase',
    occurredAt: new Date(Date.parse(occurredAt) + 1).toISOString(),
    channel: 'store',
    creditedMessageId: credited.messageId,
  });
  const credits = [{ ...(item.credits as object[])[0], channel: 'whatsapp', template: 'back-in-stock' }];
  await putTimelineItem(messagesDocuments(client), tableName, { ...item, credits });
  client.destroy();
}

/** The funnel table, by channel and column, once the WhatsApp reads and the email open are in (live). */
async function funnelOnceSettled(page: Page): Promise<Record<string, Record<string, string>>> {
  const read = (channel: string) => `#funnel-table tr[data-channel="${channel}"] td[data-stage="read"]`;
  await eventually(
    async () => [await page.textContent(read('whatsapp')), await page.textContent(read('email'))],
    ([whatsapp, email]) => whatsapp === '3' && email === '1',
    { timeoutMs: 30_000, what: 'the WhatsApp reads and the email open in the funnel' },
  );
  return page.locator('#funnel-table').evaluate((table) => {
    const headers = [...table.querySelectorAll('thead th')].slice(1).map((th) => th.textContent ?? '');
    return Object.fromEntries(
      [...table.querySelectorAll('tbody tr')].map((row) => [
        row.getAttribute('data-channel') ?? '',
        Object.fromEntries(
          [...row.querySelectorAll('td')].map((td, i) => [headers[i], td.textContent ?? '']),
        ),
      ]),
    );
  });
}
