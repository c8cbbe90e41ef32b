/**
 * The demo journey on the local runtime: the omnichannel story of one shopper, end to end through
 * the real router, senders, sandbox providers and webhooks. Each step goes through the public
 * surface (the customer API, the events API for what she does on the web, in the app and in the
 * store, and the customer's side signed like the providers), waits for what a person would see,
 * and the unified timeline is printed at the end.
 */
import { SwitchboardApiClient } from '@switchboard/client';
import type {
  AttributionReport,
  MessageRequestInput,
  TimelineConversionEntry,
  TimelineMessageEntry,
  TimelinePage,
  TouchpointEventInput,
} from '../functions/contract';
import type { LocalJson } from './runtime';
import { simulateTwilioInbound } from './simulate-inbound';

/** The shopper of the demo. */
export const DEMO_CUSTOMER = {
  customerId: 'camille',
  phone: '+14155550142',
  email: 'camille@example.com',
} as const;

/** The store where she buys, named in the messages and in her purchase. */
export const DEMO_STORE = 'Lumière Opéra';

/** Options for {@link runDemo}. */
export interface DemoOptions {
  readonly local: LocalJson;
  /** One line per step. */
  readonly say: (line: string) => void;
  /** How long to wait for each status; 60 s unless set. */
  readonly timeoutMs?: number;
}

type Item = TimelineMessageEntry;

/** What the demo leaves to show: Camille's timeline, and the attribution report by channel. */
export interface DemoOutcome {
  readonly timeline: TimelinePage;
  readonly attribution: AttributionReport;
}

/** Runs the demo journey against a running local runtime. */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const { local, say } = options;
  const api = new SwitchboardApiClient({ baseUrl: local.httpUrl });
  const run = Date.now().toString(36);
  const { customerId, phone, email } = DEMO_CUSTOMER;
  const at = new Date().toISOString();
  const optedIn = { status: 'opted_in', at, source: 'demo' } as const;

  say('1. Camille signs up: push app, WhatsApp, SMS and email, marketing consent on each.');
  await api.deleteCustomer(customerId).catch(() => undefined);
  await api.putCustomer({
    customerId,
    addresses: {
      // The sandbox's magic FCM token: the app was uninstalled, so the push fails for good.
      push: [{ kind: 'fcm', token: 'unregistered', platform: 'android' }],
      whatsapp: phone,
      sms: phone,
      email,
    },
    // No quiet hours for the demo, so marketing goes out whatever the time of day.
    preferences: {
      channels: ['push', 'whatsapp', 'sms', 'email'],
      quietHours: { start: '00:00', end: '00:00' },
    },
    consent: { marketing: { push: optedIn, whatsapp: optedIn, sms: optedIn, email: optedIn } },
    locale: 'en',
    timezone: 'Europe/Paris',
    attributes: { firstName: 'Camille', tier: 'gold' },
  });

  const send = async (
    name: string,
    request: Omit<MessageRequestInput, 'schemaVersion' | 'requestId' | 'customerId'>,
  ) => {
    const accepted = await api.sendMessage({
      schemaVersion: 1,
      requestId: `demo-${run}-${name}`,
      customerId,
      ...request,
    } as MessageRequestInput);
    return accepted.messageId;
  };
  const waitFor = async (messageId: string, what: string, done: (item: Item) => boolean) => {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      const item = (await api.timeline(customerId, { limit: 50, types: ['message'] })).entries.find(
        (entry): entry is Item => entry.type === 'message' && entry.messageId === messageId,
      );
      if (item && done(item)) return item;
      if (item && ['rejected', 'undeliverable'].includes(item.status)) {
        throw new Error(`${what}: the message was ${item.status} (${item.reasons.join('; ')})`);
      }
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for ${what}; last status ${item?.status ?? 'not recorded'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  // The ledger's stream attributes a conversion just after the purchase is written.
  const waitForConversion = async (conversionId: string) => {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      const found = (await api.timeline(customerId, { limit: 10, types: ['conversion'] })).entries.find(
        (entry): entry is TimelineConversionEntry =>
          entry.type === 'conversion' && entry.conversionId === conversionId,
      );
      if (found) return found;
      if (Date.now() > deadline) throw new Error('Timed out waiting for the store purchase to be attributed');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  // What she does outside the messages, as the shop's systems report it (POST /v1/events); each
  // event is timed when it is posted, so it falls between the messages on her timeline.
  const track = async (what: string, event: TouchpointEventInput) => {
    const answer = await api.recordEvents({ ...event, timestamp: new Date().toISOString() });
    const refused = answer.results.find((result) => result.status === 'rejected');
    if (refused) throw new Error(`${what}: the event was rejected (${JSON.stringify(refused)})`);
  };
  const visitor = `demo-${run}-browser`;
  const delivered = (channel: string) => (item: Item) =>
    item.attempts.some(
      (a) => a.channel === channel && ['delivered', 'read', 'opened', 'clicked'].includes(a.status),
    );

  say('2. On the web shop, not logged in, she adds a linen shirt to her cart; then she logs in.');
  await track('the cart on the web', {
    type: 'track',
    event: 'Product Added',
    anonymousId: visitor,
    messageId: `demo-${run}-cart-add`,
    properties: {
      cartId: 'c-1234',
      product_id: 'LINEN-SHIRT-M',
      name: 'Linen shirt',
      price: 59.9,
      currency: 'EUR',
      quantity: 1,
    },
    context: {
      channel: 'web',
      page: { path: '/p/linen-shirt', url: 'https://shop.example.com/p/linen-shirt' },
    },
  });
  // The login: the identify carries both ids, so the anonymous cart is stitched onto her profile.
  await track('the login on the web', {
    type: 'identify',
    userId: customerId,
    anonymousId: visitor,
    messageId: `demo-${run}-login`,
    context: { channel: 'web' },
  });

  say('3. She leaves the cart. A push offers 10% off (template cart-reminder)…');
  const cart = await send('cart', {
    category: 'marketing',
    template: 'cart-reminder',
    data: {
      currency: 'EUR',
      cartUrl: 'https://shop.example.com/cart/c-1234',
      items: [{ name: 'Linen shirt', quantity: 1, price: 59.9 }],
      total: 59.9,
      discountCode: 'COMEBACK10',
      discountPercent: 10,
      imageUrl: 'https://shop.example.com/static/products/linen-shirt.jpg',
      discountEndsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    },
  });
  const cartItem = await waitFor(cart, 'the cart reminder on WhatsApp', delivered('whatsapp'));
  say('   …the push token is dead (app uninstalled), so it falls back to WhatsApp: delivered.');

  say('4. She reinstalls the app and opens it to look at the shirt again (app open, mobile).');
  await track('the app open', {
    type: 'track',
    event: 'Application Opened',
    userId: customerId,
    messageId: `demo-${run}-app-open`,
    properties: { version: '4.2.0', from_background: false },
    context: {
      channel: 'mobile',
      campaign: { source: 'whatsapp', medium: 'message', name: 'cart-reminder' },
    },
  });

  say('5. She replies on WhatsApp: is it in stock at her store? (this opens the 24-hour window)');
  const whatsappSid = cartItem.attempts.find((a) => a.channel === 'whatsapp')?.providerMessageId;
  await expectOk(
    simulateTwilioInbound({
      httpUrl: local.httpUrl,
      authToken: local.sandbox.twilioAuthToken,
      channel: 'whatsapp',
      from: phone,
      text: `Hi! Is the linen shirt in M in stock at ${DEMO_STORE}?`,
      profileName: 'Camille',
      ...(whatsappSid ? { inReplyToProviderMessageId: whatsappSid } : {}),
    }),
    'the WhatsApp reply',
  );

  say('6. The store answers on WhatsApp, a free-form reply inside the window (template back-in-stock).');
  const stock = await send('stock', {
    category: 'transactional',
    template: 'back-in-stock',
    routing: { channels: ['whatsapp'] },
    data: {
      inStock: true,
      quantity: 3,
      holdUntil: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      product: {
        name: 'Linen shirt (M)',
        url: 'https://shop.example.com/p/linen-shirt',
        imageUrl: 'https://shop.example.com/static/products/linen-shirt.jpg',
      },
      store: { name: DEMO_STORE, address: "3 place de l'Opéra, 75009 Paris" },
    },
  });
  await waitFor(stock, 'the stock answer on WhatsApp', delivered('whatsapp'));

  say(`7. She buys it at ${DEMO_STORE}: the till reports the purchase (Order Completed, store)…`);
  const orderNumber = `LS-${run.toUpperCase()}`;
  await track('the store purchase', {
    type: 'track',
    event: 'Order Completed',
    userId: customerId,
    messageId: `demo-${run}-order`,
    properties: {
      orderId: orderNumber,
      revenue: 53.91,
      currency: 'EUR',
      coupon: 'COMEBACK10',
      store: DEMO_STORE,
      products: [{ product_id: 'LINEN-SHIRT-M', name: 'Linen shirt (M)', price: 53.91, quantity: 1 }],
    },
    context: { channel: 'store' },
  });
  const conversion = await waitForConversion(`demo-${run}-order`);
  const credited = conversion.credits.find((credit) => credit.weight.last > 0);
  say(
    `   …the ledger credits the purchase to the message that brought her in: ${credited?.template ?? '?'} on ${credited?.channel ?? '?'} (last touch).`,
  );
  say('   …and the thank-you with her purchase arrives on WhatsApp (order-thank-you).');
  const order = await send('order', {
    category: 'transactional',
    template: 'order-thank-you',
    routing: { channels: ['whatsapp'] },
    data: {
      currency: 'EUR',
      orderNumber,
      orderUrl: `https://shop.example.com/orders/LS-${run}`,
      purchasedAt: new Date().toISOString(),
      store: { name: DEMO_STORE },
      items: [{ name: 'Linen shirt (M)', quantity: 1, price: 53.91 }],
      total: 53.91,
      loyaltyPoints: 54,
    },
  });
  await waitFor(order, 'the thank-you on WhatsApp', delivered('whatsapp'));

  say('8. She texts STOP by SMS: SMS is opted out (WhatsApp and email are not).');
  await expectOk(
    simulateTwilioInbound({
      httpUrl: local.httpUrl,
      authToken: local.sandbox.twilioAuthToken,
      channel: 'sms',
      from: phone,
      text: 'STOP',
    }),
    'the STOP text',
  );

  say('9. A week later, the weekly offer (marketing, SMS then email): SMS is skipped, email goes out.');
  const offer = await send('offer', {
    category: 'marketing',
    template: 'weekly-offer',
    routing: { channels: ['sms', 'email'] },
    data: {
      currency: 'EUR',
      headline: 'Winter layers, 20% off',
      validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      shopUrl: 'https://shop.example.com/offers/week-49',
      heroImageUrl: 'https://shop.example.com/static/offers/week-49.jpg',
      offers: [
        { name: 'Wool scarf', url: 'https://shop.example.com/p/wool-scarf', price: 28, was: 35 },
        { name: 'Merino jumper', url: 'https://shop.example.com/p/merino-jumper', price: 71.2, was: 89 },
      ],
    },
  });
  const offerItem = await waitFor(offer, 'the weekly offer by email', delivered('email'));
  if (offerItem.attempts.some((a) => a.channel === 'sms')) {
    throw new Error('the weekly offer was attempted on SMS after STOP');
  }
  say('');
  const today = new Date().toISOString().slice(0, 10);
  return {
    timeline: await api.timeline(customerId, { limit: 50 }),
    attribution: await api.attributionReport({ from: today, to: today, groupBy: 'channel', model: 'last' }),
  };
}

async function expectOk(response: Promise<{ status: number; body: string }>, what: string): Promise<void> {
  const { status, body } = await response;
  if (status >= 300) throw new Error(`${what}: the webhook answered ${status} ${body}`);
}
