import type { LedgerAttempt, LedgerMessage } from '../../../../functions/domain/ledger-model';
import { attemptRecordId, toMessageEntry } from '../../../../functions/domain/timeline/message-entry';
import { matchesTimelineFilter, wantsAnyOf } from '../../../../functions/domain/timeline/timeline-filter';

function aLedgerMessage(fields: Partial<LedgerMessage> = {}): LedgerMessage {
  return {
    messageId: 'm1',
    customerId: 'lea',
    requestId: 'r1',
    category: 'marketing',
    createdAt: '2026-11-23T10:00:00.000Z',
    status: 'queued',
    history: [{ status: 'queued', at: '2026-11-23T10:00:00.000Z' }],
    reasons: [],
    skipped: {},
    fallbackChannels: [],
    attempts: [{ channel: 'email', attempt: 1 }],
    metadata: {},
    ...fields,
  };
}

function anAttempt(fields: Partial<LedgerAttempt> = {}): LedgerAttempt {
  return {
    customerId: 'lea',
    messageId: 'm1',
    channel: 'email',
    attempt: 1,
    status: 'opened',
    queuedAt: '2026-11-23T10:00:00.000Z',
    history: [{ status: 'opened', at: '2026-11-23T10:05:00.000Z' }],
    ...fields,
  };
}

describe('Function: toMessageEntry', () => {
  it('rolls the status up from the attempts: an email opened makes the message opened', () => {
    // Prepare
    const records = new Map([[attemptRecordId(anAttempt()), anAttempt()]]);

    // Act
    const entry = toMessageEntry(aLedgerMessage(), records);

    // Assess
    expect(entry).toMatchObject({
      type: 'message',
      at: '2026-11-23T10:00:00.000Z',
      status: 'opened',
      routerStatus: 'queued',
    });
    expect(entry.attempts).toEqual([
      {
        channel: 'email',
        attempt: 1,
        status: 'opened',
        queuedAt: '2026-11-23T10:00:00.000Z',
        history: [{ status: 'opened', at: '2026-11-23T10:05:00.000Z' }],
      },
    ]);
  });

  it('shows an attempt the sender has not picked up as queued since the router planned it', () => {
    // Act
    const entry = toMessageEntry(aLedgerMessage(), new Map());

    // Assess
    expect(entry.status).toBe('queued');
    expect(entry.attempts).toEqual([
      {
        channel: 'email',
        attempt: 1,
        status: 'queued',
        queuedAt: '2026-11-23T10:00:00.000Z',
        history: [{ status: 'queued', at: '2026-11-23T10:00:00.000Z' }],
      },
    ]);
  });

  it('is failed only when every attempt failed, and keeps only the documented fields of a change', () => {
    // Prepare
    const message = aLedgerMessage({
      attempts: [
        { channel: 'push', attempt: 1 },
        { channel: 'whatsapp', attempt: 2 },
      ],
    });
    const push = anAttempt({
      channel: 'push',
      status: 'failed',
      error: { code: 'UNREGISTERED', message: 'gone', permanent: true },
      history: [
        { status: 'failed', at: '2026-11-23T10:01:00.000Z', channel: 'push', providerEvent: 'x' } as never,
      ],
    });
    const whatsapp = anAttempt({ channel: 'whatsapp', attempt: 2, status: 'delivered' });
    const records = new Map([push, whatsapp].map((attempt) => [attemptRecordId(attempt), attempt]));

    // Act
    const entry = toMessageEntry(message, records);

    // Assess
    expect(entry.status).toBe('delivered');
    expect(entry.attempts[0]?.history).toEqual([
      { status: 'failed', at: '2026-11-23T10:01:00.000Z', channel: 'push' },
    ]);
    expect(toMessageEntry(message, new Map([[attemptRecordId(push), push]])).status).toBe('queued');
  });

  it("keeps the router's own end of a message whatever its attempts say", () => {
    // Act
    const entry = toMessageEntry(aLedgerMessage({ status: 'rejected', attempts: [] }), new Map());

    // Assess
    expect(entry).toMatchObject({ status: 'rejected', routerStatus: 'rejected', attempts: [] });
  });
});

describe('Function: matchesTimelineFilter', () => {
  it.each([
    ['no filter', 'message', ['sms'], {}, true],
    ['a kind asked for', 'click', ['sms'], { types: ['click', 'consent'] }, true],
    ['a kind not asked for', 'message', ['sms'], { types: ['click'] }, false],
    ['one of its channels', 'message', ['push', 'whatsapp'], { channels: ['whatsapp'] }, true],
    ['a place', 'touchpoint', ['store'], { channels: ['web', 'store'] }, true],
    ['no channel against a channel filter', 'touchpoint', [], { channels: ['web'] }, false],
    ['both, one failing', 'conversion', ['store'], { types: ['conversion'], channels: ['web'] }, false],
  ] as const)('with %s', (_case, type, channels, filter, expected) => {
    // Act and assess
    expect(matchesTimelineFilter(type, channels, filter)).toBe(expected);
  });

  it('says whether a filter wants any of some kinds', () => {
    // Act and assess
    expect(wantsAnyOf(['consent'], {})).toBe(true);
    expect(wantsAnyOf(['consent'], { types: ['message'] })).toBe(false);
    expect(wantsAnyOf(['message', 'click'], { types: ['click'] })).toBe(true);
  });
});
