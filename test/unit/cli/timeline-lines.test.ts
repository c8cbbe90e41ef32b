import { timelineLines } from '../../../cli/commands/timeline';
import type { TimelinePage } from '../../../functions/domain/ledger-model';

describe('Function: timelineLines', () => {
  it('prints touchpoints with their channel, interleaved with replies by time', () => {
    // Prepare
    const page: TimelinePage = {
      items: [],
      inbound: [
        {
          type: 'message.inbound',
          customerId: 'camille',
          channel: 'sms',
          from: '+33612345678',
          text: 'On my way',
          media: [],
          receivedAt: '2026-11-23T10:02:00.000Z',
          provider: 'twilio',
          providerMessageId: 'SM1',
        },
      ],
      touchpoints: [
        {
          messageId: 'm3',
          type: 'track',
          name: 'Order Completed',
          channel: 'store',
          occurredAt: '2026-11-23T10:03:00.000Z',
          receivedAt: '2026-11-23T10:03:01.000Z',
        },
        {
          messageId: 'm2',
          type: 'identify',
          channel: 'mobile',
          occurredAt: '2026-11-23T10:01:00.000Z',
          receivedAt: '',
        },
        {
          messageId: 'm1',
          type: 'page',
          name: 'Cart',
          channel: 'web',
          occurredAt: '2026-11-23T10:00:00.000Z',
          receivedAt: '',
        },
      ],
    };

    // Act
    const lines = timelineLines(page).map((line) => line.text);

    // Assess
    expect(lines).toEqual([
      '** [WEB] page "Cart"',
      '** [APP] identify',
      '<- [SMS] "On my way"',
      '** [STORE] track "Order Completed"',
    ]);
  });

  it('reads a page from a server that sends no touchpoints', () => {
    // Prepare
    const page = { items: [], inbound: [] } as unknown as TimelinePage;

    // Act and assess
    expect(timelineLines(page)).toEqual([]);
  });
  it('prints a learned choice under its message: the channel, the propensity and why', () => {
    // Prepare
    const page: TimelinePage = {
      items: [
        {
          messageId: 'm1',
          customerId: 'lea',
          requestId: 'r1',
          category: 'marketing',
          createdAt: '2026-11-23T10:00:00.000Z',
          status: 'queued',
          summaryStatus: 'queued',
          history: [],
          reasons: [],
          skipped: {},
          fallbackChannels: ['email'],
          attempts: [{ channel: 'whatsapp', attempt: 1 }],
          attemptRecords: [],
          metadata: {},
          choice: {
            strategy: 'learned',
            channel: 'whatsapp',
            propensity: 0.93,
            explored: false,
            explanation: 'whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.025 vs 0.0004',
          },
        },
      ],
      inbound: [],
      touchpoints: [],
    };

    // Act
    const lines = timelineLines(page).map((line) => line.text);

    // Assess
    expect(lines).toContain(
      '   chose whatsapp (learned, p 0.93): whatsapp: 0.62 engaged over 14 sends vs email 0.18 over 22; cost 0.025 vs 0.0004',
    );
  });
});
