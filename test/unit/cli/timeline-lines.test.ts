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
});
