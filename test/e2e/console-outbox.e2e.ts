import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { handlerRegistry } from '../../local/handler-registry';
import { channelMessage } from '../helpers/channel-messages';
import { type ConsoleUnderTest, openConsole } from '../helpers/console';
import { testClients } from '../helpers/emulators';

describe('Console: sandbox outbox and dead letters', () => {
  const clients = testClients();
  let ui: ConsoleUnderTest;

  beforeAll(async () => {
    ui = await openConsole({
      // Stand-in handlers (test/fixtures/handlers): the poison message redriven below stays unconsumed.
      handlersDir: join(__dirname, '..', 'fixtures', 'handlers'),
      registry: handlerRegistry.filter((r) => ['send-sms', 'twilio-webhook'].includes(r.file)),
    });
  });
  afterAll(async () => {
    await ui?.close();
    clients.destroy();
  });

  it('shows each channel as the person would see it, updating live', async () => {
    // Prepare
    await ui.page.goto(ui.runtime.localJson.consoleUrl);
    await ui.page.getByText('Live ·').waitFor();
    const { senders } = ui.runtime.sandbox;

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
    await ui.runtime.sandbox.callbacks.idle();

    // Assess
    const whatsapp = ui.page.locator('.entry[data-channel="whatsapp"]').first();
    await whatsapp.locator('.bubble.whatsapp', { hasText: 'Your cart is waiting' }).waitFor();
    await whatsapp.locator('.ticks.read').waitFor();
    const email = ui.page.frameLocator('.entry[data-channel="email"] iframe.email-frame').first();
    expect(await email.locator('h1').textContent()).toBe('Thank you, Ana');
    const push = ui.page.locator('.entry[data-channel="push"]').first();
    await push.locator('.push-card', { hasText: 'Still thinking?' }).waitFor();
    expect(await push.locator('.refused').textContent()).toContain('UNREGISTERED');
    expect(ui.pageErrors).toEqual([]);
  });

  it('lists a dead letter and redrives it from the page', async () => {
    // Prepare
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: ui.runtime.localJson.queues.smsDlq,
        MessageBody: '{"poison":true}',
      }),
    );
    await ui.page.reload();

    // Act
    await ui.page.getByRole('button', { name: 'Redrive 1 to sms' }).click();

    // Assess
    await ui.page.getByText('Every dead-letter queue is empty.').waitFor();
    expect(await ui.page.locator('#announcer').textContent()).toBe('Moved 1 messages back to sms');
  });
});
