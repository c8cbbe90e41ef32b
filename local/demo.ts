/**
 * The demo journey on the local runtime: the omnichannel story of one shopper, end to end through
 * the real router, senders, sandbox providers, webhooks and journey engine. The demo plays only what
 * she does (web, app and store events through the events API) and what she answers (replies signed
 * like the providers'), plus what people and campaigns send; the journeys (journeys/cart-recovery,
 * journeys/post-purchase) send the cart reminder and the thank-you on their own. Each step waits for
 * what a person would see, and the unified timeline is printed at the end.
 */
import { SwitchboardApiClient } from '@switchboard/client';
import { defaultJourneysLocation, loadJourneys } from '../functions/adapters/files/journey-files';
import {
  type AttributionReport,
  type Journey,
  journeyOriginOf,
  type MessageRequestInput,
  type TimelineConversionEntry,
  type TimelineJourneyEntry,
  type TimelineMessageEntry,
  type TimelinePage,
  type TouchpointEventInput,
} from '../functions/contract';
import { addIsoDuration } from '../functions/domain/journeys/journey-time';
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

/**
 * The journey time scale the demo runs its own runtime at (an hour of journey time per second):
 * cart-recovery's hour-long wait takes a second, and its day-long one 24 s, more than the rest of
 * the story needs before she buys.
 */
export const DEMO_TIME_SCALE = 3600;

/** The demo cannot be played on this runtime as it runs (its journey time is too slow). */
export class DemoSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoSetupError';
  }
}

/** Options for {@link runDemo}. */
export interface DemoOptions {
  readonly local: LocalJson;
  /** One line per step. */
  readonly say: (line: string) => void;
  /** How long to wait for each status, and at most for a journey's wait; 60 s unless set. */
  readonly timeoutMs?: number;
  /** Where the deployed journey documents are (the runtime's JOURNEYS_DIR); the repo's journeys/ unless set. */
  readonly journeysDir?: string;
}

type Item = TimelineMessageEntry;

/** What the demo leaves to show: Camille's timeline, and the attribution report by channel. */
export interface DemoOutcome {
  readonly timeline: TimelinePage;
  readonly attribution: AttributionReport;
}

/** The real time a journey wait takes on a runtime at `scale`, in ms. */
function realMs(journeyIso: string, scale: number): number {
  const now = new Date();
  return (addIsoDuration(now, journeyIso).getTime() - now.getTime()) / scale;
}

/** cart-recovery's two waits (for the order, then again), from the deployed document. */
function cartRecoveryWaits(journeysDir: string | undefined): { first: string; second: string } {
  const journey = loadJourneys(journeysDir ?? defaultJourneysLocation()).find(
    (candidate) => candidate.id === 'cart-recovery',
  );
  const waits = (journey?.steps ?? []).filter(
    (step): step is Extract<Journey['steps'][number], { type: 'waitFor' }> => step.type === 'waitFor',
  );
  if (waits[0] === undefined || waits[1] === undefined) {
    throw new DemoSetupError('the demo needs journeys/cart-recovery with its two waits for the order');
  }
  return { first: waits[0].timeout, second: waits[1].timeout };
}

/**
 * Refuses, before anything is written, a runtime whose journey time would keep the demo waiting:
 * at the default scale (1, real time) the cart reminder comes an hour after the cart.
 */
function checkTimeScale(scale: number, first: string, budgetMs: number): void {
  if (realMs(first, scale) <= budgetMs) return;
  throw new DemoSetupError(
    `the local runtime runs journey time at ×${scale}, so cart-recovery's ${first} wait before the reminder would take ${Math.round(realMs(first, scale) / 1000)} s. ` +
      `Restart it as \`SWITCHBOARD_TIME_SCALE=${DEMO_TIME_SCALE} npm start\` (an hour of journey time per second), or stop it: \`npm run demo\` alone starts its own at that scale.`,
  );
}

/** Runs the demo journey against a running local runtime. */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const { local, say } = options;
  const scale = local.timeScale ?? 1;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const waits = cartRecoveryWaits(options.journeysDir);
  checkTimeScale(scale, waits.first, timeoutMs);
  const api = new SwitchboardApiClient({ baseUrl: local.httpUrl });
  const run = Date.now().toString(36);
  const cartId = `c-${run}`;
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
  /** Waits for the message `which` picks to reach `done`, `extraMs` longer than a status takes. */
  const waitForMessage = async (
    which: (item: Item) => boolean,
    what: string,
    done: (item: Item) => boolean,
    extraMs = 0,
  ) => {
    const deadline = Date.now() + timeoutMs + extraMs;
    for (;;) {
      const item = (await api.timeline(customerId, { limit: 50, types: ['message'] })).entries.find(
        (entry): entry is Item => entry.type === 'message' && which(entry),
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
  const waitFor = (messageId: string, what: string, done: (item: Item) => boolean) =>
    waitForMessage((item) => item.messageId === messageId, what, done);
  /** A message a journey sent: its metadata names the journey and the step (journey-engine.ts). */
  const fromJourney = (journeyId: string, stepId: string, key: string) => (item: Item) => {
    const origin = journeyOriginOf(item.metadata);
    return origin.journeyId === journeyId && origin.stepId === stepId && origin.key === key;
  };
  /** How a run of the customer ended, from her timeline's `journey` entries (the run item's exit). */
  const runExit = async (journeyId: string, key: string) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exited = (await api.timeline(customerId, { limit: 50, types: ['journey'] })).entries.find(
        (entry): entry is TimelineJourneyEntry =>
          entry.type === 'journey' &&
          entry.event === 'exited' &&
          entry.journeyId === journeyId &&
          entry.key === key,
      );
      if (exited) return exited;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the ${journeyId} run to end`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  // The ledger's stream attributes a conversion just after the purchase is written.
  const waitForConversion = async (conversionId: string) => {
    const deadline = Date.now() + timeoutMs;
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
  /**
   * After the purchase: cart-recovery's second reminder must not have gone out. It would, had the
   * day-long wait (compressed) ended before the purchase reached the journey.
   */
  const expectNoSecondReminder = async (key: string) => {
    const page = await api.timeline(customerId, { limit: 50, types: ['message'] });
    const late = page.entries.some(
      (entry) => entry.type === 'message' && fromJourney('cart-recovery', 'whatsapp-reminder', key)(entry),
    );
    if (late) {
      throw new Error(
        `cart-recovery sent its second reminder before the purchase reached it: at journey time ×${scale} its ${waits.second} wait took only ${seconds(realMs(waits.second, scale))}, less than the story between the two. Use a smaller SWITCHBOARD_TIME_SCALE, such as ${DEMO_TIME_SCALE}.`,
      );
    }
  };
  const visitor = `demo-${run}-browser`;
  const delivered = (channel: string) => (item: Item) =>
    item.attempts.some(
      (a) => a.channel === channel && ['delivered', 'read', 'opened', 'clicked'].includes(a.status),
    );

  say('2. On the web shop, not logged in, she adds a linen shirt to her cart; then she logs in.');
  // Segment's e-commerce names for the product added and the cart's lines (`products`), plus the
  // run's key (`cartId`), the cart's total and the shop's link back to the cart.
  const shirt = { product_id: 'LINEN-SHIRT-M', sku: 'LS-M', name: 'Linen shirt', price: 59.9, quantity: 1 };
  await track('the cart on the web', {
    type: 'track',
    event: 'Product Added',
    anonymousId: visitor,
    messageId: `demo-${run}-cart-add`,
    properties: {
      cartId,
      ...shirt,
      variant: 'M',
      currency: 'EUR',
      url: 'https://shop.example.com/p/linen-shirt',
      image_url: 'https://shop.example.com/static/products/linen-shirt.jpg',
      products: [shirt],
      total: 59.9,
      cartUrl: `https://shop.example.com/cart/${cartId}`,
    },
    context: {
      channel: 'web',
      page: { path: '/p/linen-shirt', url: 'https://shop.example.com/p/linen-shirt' },
    },
  });
  // The login: the identify carries both ids, so the anonymous cart is stitched onto her profile,
  // where the journey engine sees it (journeys start on a customer's events, not a visitor's).
  await track('the login on the web', {
    type: 'identify',
    userId: customerId,
    anonymousId: visitor,
    messageId: `demo-${run}-login`,
    context: { channel: 'web' },
  });

  say(
    `3. She leaves the cart. Journey cart-recovery waits ${waits.first} for an order of cart ${cartId} (${seconds(realMs(waits.first, scale))} at journey time ×${scale}),`,
  );
  say('   then sends its push reminder with 10% off (template cart-reminder)…');
  const cartItem = await waitForMessage(
    fromJourney('cart-recovery', 'push-reminder', cartId),
    'the cart reminder on WhatsApp',
    delivered('whatsapp'),
    realMs(waits.first, scale),
  );
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
    // Sent by a person at the store, not a journey: the metadata says who, on her timeline.
    metadata: { sentBy: 'store staff', store: DEMO_STORE },
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

  say(
    `7. She buys it at ${DEMO_STORE}: the till reports the purchase of cart ${cartId} (Order Completed, store)…`,
  );
  const orderNumber = `LS-${run.toUpperCase()}`;
  // Segment's e-commerce names (orderId, total, revenue, currency, coupon, products), her cartId
  // (cart-recovery's goal is an order of the same cart), and the shop's own: the order's link, the
  // store, the loyalty points, which the thank-you shows.
  await track('the store purchase', {
    type: 'track',
    event: 'Order Completed',
    userId: customerId,
    messageId: `demo-${run}-order`,
    properties: {
      orderId: orderNumber,
      cartId,
      total: 53.91,
      revenue: 53.91,
      currency: 'EUR',
      coupon: 'COMEBACK10',
      products: [{ product_id: 'LINEN-SHIRT-M', name: 'Linen shirt (M)', price: 53.91, quantity: 1 }],
      orderUrl: `https://shop.example.com/orders/${orderNumber}`,
      store: { name: DEMO_STORE },
      loyaltyPoints: 54,
    },
    context: { channel: 'store' },
  });
  const conversion = await waitForConversion(`demo-${run}-order`);
  const credited = conversion.credits.find((credit) => credit.weight.last > 0);
  say(
    `   …the ledger credits the purchase to the message that brought her in: ${credited?.template ?? '?'} on ${credited?.channel ?? '?'} (last touch).`,
  );
  say('   …journey post-purchase sends the thank-you with her purchase: on WhatsApp (order-thank-you).');
  await waitForMessage(
    fromJourney('post-purchase', 'thank-you', orderNumber),
    'the thank-you on WhatsApp',
    delivered('whatsapp'),
  );
  const cartEnd = await runExit('cart-recovery', cartId);
  await expectNoSecondReminder(cartId);
  if (cartEnd.reason !== 'goal') {
    throw new Error(
      `the cart-recovery run ended ${cartEnd.reason} (${cartEnd.detail ?? ''}), not on the purchase`,
    );
  }
  say(
    `   …and cart-recovery ended on its goal (${cartEnd.detail ?? 'Order Completed'} of cart ${cartId}): no WhatsApp reminder follows.`,
  );

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
    // A campaign sent to everyone, not a journey.
    metadata: { campaign: 'week-49' },
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

/** `1 s`, `24 s`, `250 ms`, `1 h`: a real duration as the demo says it. */
function seconds(ms: number): string {
  if (ms >= 3_600_000) return `${Number((ms / 3_600_000).toFixed(1))} h`;
  if (ms >= 1000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Math.round(ms)} ms`;
}

async function expectOk(response: Promise<{ status: number; body: string }>, what: string): Promise<void> {
  const { status, body } = await response;
  if (status >= 300) throw new Error(`${what}: the webhook answered ${status} ${body}`);
}
