import type { BrowserContext, Page } from 'playwright-core';
import { apiReferenceListener } from '../../local/api-reference';
import { type LocalHttpServer, startHttpServer } from '../../local/http-server';
import { launchBrowser } from '../helpers/browser';

describe('Console: the HTTP API reference page', () => {
  let http: LocalHttpServer;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const requestedHosts = new Set<string>();

  beforeAll(async () => {
    http = await startHttpServer({ listeners: [apiReferenceListener] });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('request', (request) => requestedHosts.add(new URL(request.url()).host));
  });
  afterAll(async () => {
    await browser?.close();
    await http?.stop();
  });

  it('renders every operation of the document, offline, without errors', async () => {
    // Act
    await page.goto(`${http.url}/docs/api`);
    await page.getByText('Switchboard HTTP API').first().waitFor();

    // Assess
    for (const summary of [
      'Create or replace a customer profile',
      'Record one consent decision',
      "One page of a customer's timeline: typed entries, newest first",
      'Validate a MessageRequest and put it on the outbound queue',
      "A journey's counts: entered, held out, waiting, exited per reason, converted, and per step",
      "Cancel a customer's active runs of a journey, or the run of one business key",
      'Twilio message status callback (SMS and WhatsApp)',
      'SendGrid Inbound Parse (a received email)',
    ]) {
      await expect(page.getByText(summary, { exact: true }).count()).resolves.toBe(1);
    }
    expect(pageErrors).toEqual([]);
    expect([...requestedHosts]).toEqual([new URL(http.url).host]);
  });
});
