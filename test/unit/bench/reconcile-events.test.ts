import { reconcileDeliveryEvents } from '../../../bench/lib/reconcile-events';
import type { LedgerAttempt } from '../../../functions/domain/ledger-model';

/** An SMS attempt whose history holds `sent` (the sender's) and `delivered` (a provider receipt). */
function anAttempt(messageId: string): LedgerAttempt {
  return {
    customerId: 'c1',
    messageId,
    channel: 'sms',
    attempt: 1,
    status: 'delivered',
    queuedAt: '2026-12-05T00:00:00Z',
    history: [
      { status: 'queued', at: '2026-12-05T00:00:00Z' },
      { status: 'sent', at: '2026-12-05T00:00:01Z' },
      {
        status: 'delivered',
        at: '2026-12-05T00:00:02Z',
        providerEvent: 'delivered',
      } as LedgerAttempt['history'][number],
    ],
  };
}

describe('Function: reconcileDeliveryEvents', () => {
  it('accepts every owed event received, repeated copies included', () => {
    // Prepare
    const attempts = [anAttempt('m1'), anAttempt('m2')];
    const received = [
      { type: 'message.delivered', eventId: 'm1#1#sms#delivered' },
      { type: 'message.delivered', eventId: 'm1#1#sms#delivered' },
      { type: 'message.delivered', eventId: 'm2#1#sms#delivered' },
      { type: 'message.inbound', eventId: 'inbound#twilio#SM1' },
    ];

    // Act
    const result = reconcileDeliveryEvents(attempts, received);

    // Assess
    expect(result).toEqual({ ok: true, owed: 2, distinct: 2, redundantCopies: 1, findings: [] });
  });

  it('finds an owed event that never arrived and one no change explains', () => {
    // Prepare
    const received = [{ type: 'message.sent', eventId: 'm1#1#sms#sent' }];

    // Act
    const result = reconcileDeliveryEvents([anAttempt('m1')], received);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([
      { kind: 'missing', eventId: 'm1#1#sms#delivered' },
      { kind: 'unexpected', eventId: 'm1#1#sms#sent' },
    ]);
  });
});
