import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TimelinePage } from '../../functions/contract';
import { runDemo } from '../../local/demo';
import type { LocalRuntime } from '../../local/runtime';
import { type ConsoleUnderTest, openConsole } from '../helpers/console';
import { eventually } from '../helpers/eventually';

// The demo goes through the journey engine (stream and timer hops, cart-recovery's hour at 600×) as well
// as the router and the sandbox: on a busy machine it has taken two minutes.
jest.setTimeout(240_000);

describe('Console: the demo journey on the unified timeline', () => {
  let ui: ConsoleUnderTest;
  beforeAll(async () => {
    // The demo's journeys: cart-recovery's hour before the reminder takes 6 s, its day 144 s.
    ui = await openConsole({ timeScale: 600, viewport: { width: 1100, height: 900 } });
  });
  afterAll(() => ui?.close());

  it('shows the journey in order: fallback, reply, STOP opt-out, the offer by email, the store purchase and its conversion', async () => {
    // Prepare
    await ui.page.goto(ui.runtime.localJson.consoleUrl);
    await ui.page.getByText('Live ·').waitFor();

    // Act
    await runDemo({ local: ui.runtime.localJson, say: () => {} });
    await conversionRecorded(ui.runtime);
    await ui.page.getByLabel('Search customers').fill('camille');
    await ui.page.getByRole('button', { name: 'Search' }).click();
    await ui.page.getByRole('button', { name: 'camille (Camille)' }).click();
    const timeline = ui.page.getByRole('list', { name: 'Timeline of camille' });
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
    // Her web cart (stitched from her anonymous visit), her login, the app open and the store purchase.
    const touchpoints = await timeline.locator(':scope > li[data-kind="touchpoint"]').allTextContents();
    expect(touchpoints.map((text) => /Web|App|Store/.exec(text)?.[0])).toEqual([
      'Web',
      'Web',
      'App',
      'Store',
    ]);
    expect(touchpoints[0]).toMatch(/track\s*Product Added/);
    expect(touchpoints[3]).toMatch(/Store\s*track\s*Order Completed/);
    // The purchase, credited by the ledger stream's attribution to the message that brought her in.
    const conversion = timeline.locator(':scope > li[data-kind="conversion"]');
    await expect(conversion.textContent()).resolves.toMatch(
      /Store\s*Conversion\s*Order Completed\s*53\.91 EUR\s*Credited: WA back-in-stock/,
    );
    const consent = await timeline.locator(':scope > li[data-kind="consent"]').allTextContents();
    expect(consent.some((text) => /SMS\s*Consent\s*marketing: opted-out/.test(text))).toBe(true);
    const email = ui.page.frameLocator('.entry[data-channel="email"] iframe.email-frame').first();
    await expect(email.locator('body').textContent()).resolves.toMatch(/Winter layers, 20% off/);
    expect(await funnelOnceSettled(ui.page)).toEqual({
      // The cart reminder's push to the dead token: refused at send, UNREGISTERED.
      push: { Queued: '1', Sent: '0', Delivered: '0', 'Read / opened': '0', Failed: '1' },
      // The fallback of the cart reminder, the stock answer and the thank-you: each read.
      whatsapp: { Queued: '3', Sent: '3', Delivered: '3', 'Read / opened': '3', Failed: '0' },
      // The weekly offer skipped SMS (opted out): no attempt.
      sms: { Queued: '0', Sent: '0', Delivered: '0', 'Read / opened': '0', Failed: '0' },
      email: { Queued: '1', Sent: '1', Delivered: '1', 'Read / opened': '1', Failed: '0' },
    });
    const failures = await ui.page
      .locator('#failure-table tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent)));
    expect(failures).toEqual([['Push', '—', 'UNREGISTERED', 'failed', expect.any(String), '1']]);
    expect(ui.pageErrors).toEqual([]);
    // The committed docs/console-timeline.png is refreshed on request only, so CI leaves the tree clean.
    if (process.env.SWITCHBOARD_UPDATE_SCREENSHOTS === '1') {
      await ui.page
        .locator('#customers')
        .screenshot({ path: join(__dirname, '..', '..', 'docs', 'console-timeline.png') });
    }
  });
});

/** Waits until the ledger stream has attributed the demo's store purchase (it runs after the write). */
async function conversionRecorded(runtime: LocalRuntime): Promise<void> {
  const url = new URL('/v1/customers/camille/timeline?types=conversion', runtime.localJson.httpUrl);
  await eventually(
    async () => ((await (await fetch(url)).json()) as TimelinePage).entries,
    (entries) => entries.length === 1,
    { timeoutMs: 30_000, what: "the store purchase's conversion on Camille's timeline" },
  );
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
