import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { BrowserContext, Page } from 'playwright-core';
import { handlerRegistry } from '../../local/handler-registry';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { launchBrowser } from '../helpers/browser';
import { channelMessage } from '../helpers/channel-messages';
import { isolatedResources, testClients, testEndpoints } from '../helpers/emulators';

describe('Console: sandbox outbox and dead letters', () => {
  const clients = testClients();
  let runtime: LocalRuntime;
  let browser: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    runtime = await startLocalRuntime({
      rootDir: mkdtempSync(join(tmpdir(), 'switchboard-e2e-')),
      emulators: { ...testEndpoints(), ...(await isolatedResources()) },
      // Stand-in handlers (test/fixtures/handlers): the poison message redriven below stays unconsumed.
      handlersDir: join(__dirname, '..', 'fixtures', 'handlers'),
      registry: handlerRegistry.filter((r) => ['send-sms', 'twilio-webhook'].includes(r.file)),
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
    clients.destroy();
  });

  it('shows each channel as the person would see it, updating live', async () => {
    // Prepare
    await page.goto(runtime.localJson.consoleUrl);
    await page.getByText('Live ·').waitFor();
    const { senders } = runtime.sandbox;

    // Act
    await senders.whatsapp.send(
      channelMessage('whatsapp', '+14155550123', {
        content: { text: 'Your cart is waiting: 10% off today' },
        // Freeform WhatsApp only goes out inside the customer's 24-hour window.
        windowOpenUntil: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    await senders.email.send(
      channelMessage('email', 'ana@example.com', {
        content: { subject: 'Thank you, Ana', html: '<h1>Thank you, Ana</h1><p>Trail shoes, £89</p>' },
      }),
    );
    await senders.push
      .send(
        channelMessage('push', [{ kind: 'fcm', token: 'unregistered' }], {
          content: { title: 'Still thinking?' },
        }),
      )
      .catch(() => undefined);
    await runtime.sandbox.callbacks.idle();

    // Assess
    const whatsapp = page.locator('.entry[data-channel="whatsapp"]').first();
    await whatsapp.locator('.bubble.whatsapp', { hasText: 'Your cart is waiting' }).waitFor();
    await whatsapp.locator('.ticks.read').waitFor();
    const email = page.frameLocator('.entry[data-channel="email"] iframe.email-frame').first();
    expect(await email.locator('h1').textContent()).toBe('Thank you, Ana');
    const push = page.locator('.entry[data-channel="push"]').first();
    await push.locator('.push-card', { hasText: 'Still thinking?' }).waitFor();
    expect(await push.locator('.refused').textContent()).toContain('UNREGISTERED');
    expect(pageErrors).toEqual([]);
  });

  it('lists a dead letter and redrives it from the page', async () => {
    // Prepare
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: runtime.localJson.queues.smsDlq, MessageBody: '{"poison":true}' }),
    );
    await page.reload();

    // Act
    await page.getByRole('button', { name: 'Redrive 1 to sms' }).click();

    // Assess
    await page.getByText('Every dead-letter queue is empty.').waitFor();
    expect(await page.locator('#announcer').textContent()).toBe('Moved 1 messages back to sms');
  });
});
