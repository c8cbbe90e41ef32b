import { timelineLines } from '../../../cli/commands/timeline';
import type { TimelineMessageEntry, TimelinePage } from '../../../functions/contract';

function aMessageEntry(fields: Partial<TimelineMessageEntry> = {}): TimelineMessageEntry {
  return {
    type: 'message',
    at: '2026-11-23T10:00:00.000Z',
    messageId: 'm1',
    requestId: 'r1',
    category: 'marketing',
    status: 'queued',
    routerStatus: 'queued',
    history: [],
    reasons: [],
    skipped: {},
    fallbackChannels: [],
    attempts: [],
    metadata: {},
    ...fields,
  };
}

describe('Function: timelineLines', () => {
  it('prints every kind of entry oldest first: touchpoints with their place, conversions with the message credited', () => {
    // Prepare
    const page: TimelinePage = {
      entries: [
        {
          type: 'conversion',
          at: '2026-11-23T10:06:00.000Z',
          conversionId: 'tp-buy',
          event: 'Order Completed',
          occurredAt: '2026-11-23T10:06:00.000Z',
          channel: 'store',
          revenue: 59.9,
          currency: 'EUR',
          credits: [
            { messageId: 'm-push', channel: 'push', weight: { last: 0, first: 1, linear: 0.5 } },
            { messageId: 'm-wa', channel: 'whatsapp', weight: { last: 1, first: 0, linear: 0.5 } },
          ],
        },
        {
          type: 'click',
          at: '2026-11-23T10:05:00.000Z',
          token: 't1',
          messageId: 'm-wa',
          attempt: 1,
          channel: 'whatsapp',
          url: 'https://shop.example.com/cart',
          clickedAt: '2026-11-23T10:05:00.000Z',
        },
        {
          type: 'consent',
          at: '2026-11-23T10:04:00.000Z',
          category: 'marketing',
          channel: 'sms',
          status: 'opted_out',
          source: 'sms-keyword',
        },
        {
          type: 'touchpoint',
          at: '2026-11-23T10:03:00.000Z',
          messageId: 'tp-app',
          call: 'track',
          name: 'App Opened',
          channel: 'mobile',
          occurredAt: '2026-11-23T10:03:00.000Z',
          receivedAt: '2026-11-23T10:03:01.000Z',
        },
        {
          type: 'inbound',
          at: '2026-11-23T10:02:00.000Z',
          customerId: 'camille',
          channel: 'sms',
          from: '+33612345678',
          text: 'STOP',
          media: [],
          receivedAt: '2026-11-23T10:02:00.000Z',
          provider: 'twilio',
          providerMessageId: 'SM1',
          consentIntent: 'opt_out',
        },
        {
          type: 'touchpoint',
          at: '2026-11-23T10:00:00.000Z',
          messageId: 'tp-web',
          call: 'page',
          name: 'Cart',
          channel: 'web',
          occurredAt: '2026-11-23T10:00:00.000Z',
          receivedAt: '2026-11-23T10:00:01.000Z',
        },
      ],
    };

    // Act
    const lines = timelineLines(page).map((line) => line.text);

    // Assess
    expect(lines).toEqual([
      '** [WEB] page "Cart"',
      '<- [SMS] "STOP" [consent: opt_out]',
      '** [APP] track "App Opened"',
      '== [SMS] marketing opted-out (sms-keyword)',
      '>> [WA] clicked https://shop.example.com/cart (m-wa)',
      '$$ [STORE] "Order Completed" 59.90 EUR, credited [WA] m-wa',
    ]);
  });

  it('prints a message with its rolled-up status, then each attempt change in time order', () => {
    // Prepare
    const page: TimelinePage = {
      entries: [
        aMessageEntry({
          status: 'opened',
          request: {
            schemaVersion: 1,
            requestId: 'r1',
            customerId: 'lea',
            category: 'marketing',
            template: 'weekly-offer',
            data: {},
            metadata: {},
          },
          skipped: { sms: 'opted out of marketing' },
          attempts: [
            {
              channel: 'email',
              attempt: 1,
              status: 'opened',
              queuedAt: '2026-11-23T10:00:00.000Z',
              history: [
                { status: 'queued', at: '2026-11-23T10:00:00.000Z' },
                { status: 'opened', at: '2026-11-23T10:09:00.000Z' },
                { status: 'delivered', at: '2026-11-23T10:01:00.000Z' },
              ],
            },
          ],
        }),
      ],
    };

    // Act
    const lines = timelineLines(page).map((line) => line.text);

    // Assess
    expect(lines).toEqual([
      '-> marketing "weekly-offer" (m1): opened',
      '   [SMS] skipped (opted out of marketing)',
      '   [EMAIL] queued',
      '   [EMAIL] delivered',
      '   [EMAIL] opened',
    ]);
  });

  it('says when a conversion credits no message', () => {
    // Prepare
    const page: TimelinePage = {
      entries: [
        {
          type: 'conversion',
          at: '2026-11-23T10:06:00.000Z',
          conversionId: 'tp-buy',
          event: 'Order Completed',
          occurredAt: '2026-11-23T10:06:00.000Z',
          credits: [],
        },
      ],
    };

    // Act and assess
    expect(timelineLines(page).map((line) => line.text)).toEqual([
      '$$ [?] "Order Completed", no message credited',
    ]);
  });

  it('prints a learned choice under its message: the channel, the propensity and why', () => {
    // Prepare
    const page: TimelinePage = {
      entries: [
        aMessageEntry({
          attempts: [{ channel: 'whatsapp', attempt: 1, status: 'queued', queuedAt: '', history: [] }],
          choice: {
            strategy: 'learned',
            channel: 'whatsapp',
            propensity: 0.93,
            explored: false,
            explanation: 'whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.025 vs 0.0004',
          },
        }),
      ],
    };

    // Act
    const lines = timelineLines(page).map((line) => line.text);

    // Assess
    expect(lines).toContain(
      '   chose whatsapp (learned, p 0.93): whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.025 vs 0.0004',
    );
  });

  it('says which journey and step sent a journey message, and for which key', () => {
    // Prepare
    const page: TimelinePage = {
      entries: [
        aMessageEntry({
          request: {
            schemaVersion: 1,
            requestId: 'jr_1.push-reminder',
            customerId: 'camille',
            category: 'marketing',
            template: 'cart-reminder',
          },
          metadata: {
            journeyId: 'cart-recovery',
            journeyVersion: '1',
            journeyRunId: 'jr_1',
            journeyKey: 'c-1234',
            journeyStepId: 'push-reminder',
          },
        }),
        aMessageEntry({ messageId: 'm2', metadata: { campaign: 'week-49' } }),
      ],
    };

    // Act
    const lines = timelineLines(page).map((line) => line.text);

    // Assess
    expect(lines.filter((line) => line.includes('journey'))).toEqual([
      '   sent by journey cart-recovery, step push-reminder for c-1234',
    ]);
  });

  it("prints a journey run's moments: entered, waiting, the steps it took and how it ended", () => {
    // Prepare
    const run = {
      type: 'journey',
      journeyId: 'cart-recovery',
      journeyVersion: 1,
      runId: 'jr_1',
      key: 'c-1',
    } as const;
    const page: TimelinePage = {
      entries: [
        {
          ...run,
          at: '2026-11-23T18:00:00.000Z',
          event: 'exited',
          reason: 'goal',
          detail: 'Order Completed',
        },
        {
          ...run,
          at: '2026-11-23T10:00:00.000Z',
          event: 'step',
          stepId: 'push-reminder',
          outcome: 'sent cart-reminder',
        },
        {
          ...run,
          at: '2026-11-23T09:00:00.000Z',
          event: 'waiting',
          stepId: 'wait-for-order',
          until: '2026-11-23T10:00:00.000Z',
        },
        { ...run, at: '2026-11-23T09:00:00.000Z', event: 'entered', entryEvent: 'Product Added' },
      ],
    };

    // Act
    const lines = timelineLines(page).map((line) => line.text);

    // Assess
    expect(lines).toEqual([
      '~~ journey cart-recovery entered on Product Added (key c-1)',
      '~~ journey cart-recovery waiting in wait-for-order until 2026-11-23T10:00:00.000Z',
      '~~ journey cart-recovery step push-reminder: sent cart-reminder',
      '~~ journey cart-recovery exited: goal (Order Completed)',
    ]);
  });
});
