import { attemptKeyOf, type ReconcileInput, reconcile, regressions } from '../../../bench/lib/reconcile';
import type { Channel, MessageStatus } from '../../../functions/contract';
import type { LedgerAttempt, LedgerMessage } from '../../../functions/domain/ledger-model';
import { messageIdFor } from '../../../functions/domain/message-id';

const AT = '2026-11-23T12:00:00.000Z';

function ledgerMessage(requestId: string, overrides: Partial<LedgerMessage> = {}): LedgerMessage {
  const customerId = `cust-${requestId}`;
  return {
    messageId: messageIdFor(customerId, requestId),
    customerId,
    requestId,
    createdAt: AT,
    status: 'queued',
    history: [{ status: 'queued', at: AT }],
    reasons: [],
    skipped: {},
    fallbackChannels: [],
    attempts: [{ channel: 'sms', attempt: 1 }],
    metadata: {},
    ...overrides,
  };
}

function ledgerAttempt(
  message: LedgerMessage,
  statuses: readonly MessageStatus[],
  channel: Channel = 'sms',
  attempt = 1,
  overrides: Partial<LedgerAttempt> = {},
): LedgerAttempt {
  return {
    customerId: message.customerId,
    messageId: message.messageId,
    channel,
    attempt,
    status: statuses.at(-1) as MessageStatus,
    history: statuses.map((status) => ({ status, at: AT, channel })),
    queuedAt: AT,
    ...overrides,
  };
}

/** A clean run of `count` delivered SMS messages, each received once by the provider. */
function cleanRun(count: number): {
  published: ReconcileInput['published'];
  messages: LedgerMessage[];
  attempts: LedgerAttempt[];
  received: ReconcileInput['received'][number][];
} {
  const messages = Array.from({ length: count }, (_, index) => ledgerMessage(`req-${index}`));
  return {
    published: messages.map((message) => ({ requestId: message.requestId, customerId: message.customerId })),
    messages,
    attempts: messages.map((message) => ledgerAttempt(message, ['queued', 'sent', 'delivered'])),
    received: messages.map((message) => ({
      messageId: message.messageId,
      attempt: 1,
      channel: 'sms' as const,
      outcome: 'accepted' as const,
      at: AT,
    })),
  };
}

describe('Function: reconcile', () => {
  it('passes a clean run and counts every request as delivered', () => {
    // Prepare
    const run = cleanRun(5);

    // Act
    const result = reconcile(run);

    // Assess
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.outcomes.delivered).toBe(5);
    expect(result.duplicateSends).toBe(0);
  });

  it('fails when a published message was dropped from the ledger', () => {
    // Prepare
    const run = cleanRun(5);
    const dropped = run.messages.splice(2, 1)[0] as LedgerMessage;
    run.attempts = run.attempts.filter((attempt) => attempt.messageId !== dropped.messageId);
    run.received = run.received.filter((receipt) => receipt.messageId !== dropped.messageId);

    // Act
    const result = reconcile(run);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.outcomes.missing).toBe(1);
    expect(result.findings).toEqual([
      expect.objectContaining({
        kind: 'missing',
        requestId: dropped.requestId,
        messageId: dropped.messageId,
      }),
    ]);
  });

  it('fails when a message was routed but never reached a sender (stuck in flight)', () => {
    // Prepare
    const run = cleanRun(3);
    const stuck = run.messages[1] as LedgerMessage;
    run.attempts = run.attempts.filter((attempt) => attempt.messageId !== stuck.messageId);
    run.received = run.received.filter((receipt) => receipt.messageId !== stuck.messageId);

    // Act
    const result = reconcile(run);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.outcomes['in-flight']).toBe(1);
    expect(result.findings.map((finding) => finding.kind)).toEqual(['not-terminal']);
  });

  it('fails when the provider received the same attempt twice outside the crash window', () => {
    // Prepare
    const run = cleanRun(3);
    run.received.push({ ...(run.received[0] as ReconcileInput['received'][number]) });

    // Act
    const result = reconcile(run);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.duplicateSends).toBe(1);
    expect(result.duplicatesInCrashWindow).toBe(0);
    expect(result.findings.map((finding) => finding.kind)).toEqual(['duplicate']);
  });

  it('allows and counts one second send where a crash was injected after the provider answered', () => {
    // Prepare
    const run = cleanRun(3);
    const crashed = run.received[0] as ReconcileInput['received'][number];
    run.received.push({ ...crashed });

    // Act
    const result = reconcile({ ...run, crashWindow: new Set([attemptKeyOf(crashed)]) });

    // Assess
    expect(result.ok).toBe(true);
    expect(result.duplicatesInCrashWindow).toBe(1);
  });

  it('fails when a crash-window attempt reached the provider three times', () => {
    // Prepare
    const run = cleanRun(1);
    const crashed = run.received[0] as ReconcileInput['received'][number];
    run.received.push({ ...crashed }, { ...crashed });

    // Act
    const result = reconcile({ ...run, crashWindow: new Set([attemptKeyOf(crashed)]) });

    // Assess
    expect(result.ok).toBe(false);
    expect(result.findings.map((finding) => finding.kind)).toEqual(['duplicate']);
  });

  it.each<[string, MessageStatus[]]>([
    ['delivered back to sent', ['queued', 'sent', 'delivered', 'sent']],
    ['read back to delivered', ['queued', 'sent', 'delivered', 'read', 'delivered']],
    ['undelivered then delivered', ['queued', 'sent', 'undelivered', 'delivered']],
  ])('fails when an attempt status regressed: %s', (_, statuses) => {
    // Prepare
    const run = cleanRun(2);
    run.attempts[0] = ledgerAttempt(run.messages[0] as LedgerMessage, statuses);

    // Act
    const result = reconcile(run);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.findings.some((finding) => finding.kind === 'regression')).toBe(true);
  });

  it('fails when a message status regressed (queued back to scheduled)', () => {
    // Prepare
    const run = cleanRun(1);
    run.messages[0] = {
      ...(run.messages[0] as LedgerMessage),
      history: [
        { status: 'scheduled', at: AT },
        { status: 'queued', at: AT },
        { status: 'scheduled', at: AT },
      ],
    };

    // Act
    const result = reconcile(run);

    // Assess
    expect(result.findings.map((finding) => finding.kind)).toEqual(['regression']);
  });

  it('fails when the ledger says sent but no provider received the attempt', () => {
    // Prepare
    const run = cleanRun(2);
    run.received.pop();

    // Act
    const result = reconcile(run);

    // Assess
    expect(result.findings.map((finding) => finding.kind)).toEqual(['unrecorded']);
  });

  it.each<[string, Partial<LedgerMessage>, string]>([
    ['rejected', { status: 'rejected', attempts: [], history: [{ status: 'rejected', at: AT }] }, 'rejected'],
    ['undeliverable', { status: 'undeliverable', attempts: [] }, 'undeliverable'],
    ['expired', { status: 'expired', attempts: [] }, 'expired'],
    [
      'scheduled',
      { status: 'scheduled', attempts: [], history: [{ status: 'scheduled', at: AT }] },
      'scheduled',
    ],
  ])('accepts a request the router ended or scheduled: %s', (_, overrides, outcome) => {
    // Prepare
    const message = ledgerMessage('req-x', overrides);

    // Act
    const result = reconcile({
      published: [{ requestId: 'req-x', customerId: message.customerId }],
      messages: [message],
      attempts: [],
      received: [],
    });

    // Assess
    expect(result.ok).toBe(true);
    expect(result.outcomes[outcome as keyof typeof result.outcomes]).toBe(1);
  });

  it('accepts a failed attempt with a reason and nothing left to fall back to', () => {
    // Prepare
    const message = ledgerMessage('req-f');
    const attempt = ledgerAttempt(message, ['queued', 'failed'], 'sms', 1, {
      error: { code: '30003', message: 'unreachable', permanent: true },
    });

    // Act
    const result = reconcile({
      published: [{ requestId: 'req-f', customerId: message.customerId }],
      messages: [message],
      attempts: [attempt],
      received: [],
    });

    // Assess
    expect(result.ok).toBe(true);
    expect(result.outcomes.failed).toBe(1);
  });

  it('counts a message that fell back from a down channel and reached the next provider', () => {
    // Prepare
    const message = ledgerMessage('req-d', {
      attempts: [
        { channel: 'sms', attempt: 1 },
        { channel: 'email', attempt: 2 },
      ],
    });
    const attempts = [
      ledgerAttempt(message, ['queued', 'failed'], 'sms', 1),
      ledgerAttempt(message, ['queued', 'sent', 'delivered'], 'email', 2),
    ];

    // Act
    const result = reconcile({
      published: [{ requestId: 'req-d', customerId: message.customerId }],
      messages: [message],
      attempts,
      received: [{ messageId: message.messageId, attempt: 2, channel: 'email', outcome: 'accepted', at: AT }],
      channelsDown: ['sms'],
    });

    // Assess
    expect(result.ok).toBe(true);
    expect(result.fellBack).toBe(1);
  });

  it('fails when a message failed on a down channel and its fallback never went out', () => {
    // Prepare
    const message = ledgerMessage('req-n', { fallbackChannels: ['email'] });
    const attempts = [ledgerAttempt(message, ['queued', 'failed'], 'sms', 1)];

    // Act
    const result = reconcile({
      published: [{ requestId: 'req-n', customerId: message.customerId }],
      messages: [message],
      attempts,
      received: [],
      channelsDown: ['sms'],
    });

    // Assess
    expect(result.ok).toBe(false);
    expect(result.findings.map((finding) => finding.kind)).toEqual(
      expect.arrayContaining(['fallback-missed', 'not-terminal']),
    );
  });
});

describe('Function: regressions', () => {
  it.each<[MessageStatus[], number]>([
    [['queued', 'sent', 'delivered', 'read'], 0],
    [['queued', 'queued'], 0],
    [['queued', 'sent', 'queued'], 1],
    [['failed', 'bounced'], 1],
    [['delivered', 'sent', 'queued'], 2],
  ])('finds the backward steps in %j', (statuses, count) => {
    // Act
    const found = regressions(statuses.map((status) => ({ status, at: AT })));

    // Assess
    expect(found).toHaveLength(count);
  });
});

describe('Function: reconcile (router only)', () => {
  it('counts a queued message with a planned attempt as dispatched when no sender ran', () => {
    // Prepare
    const message = ledgerMessage('req-r');

    // Act
    const result = reconcile({
      published: [{ requestId: 'req-r', customerId: message.customerId }],
      messages: [message],
      attempts: [],
      received: [],
      routerOnly: true,
    });

    // Assess
    expect(result.ok).toBe(true);
    expect(result.outcomes.dispatched).toBe(1);
  });

  it('still fails a queued message with no planned attempt', () => {
    // Prepare
    const message = ledgerMessage('req-q', { attempts: [] });

    // Act
    const result = reconcile({
      published: [{ requestId: 'req-q', customerId: message.customerId }],
      messages: [message],
      attempts: [],
      received: [],
      routerOnly: true,
    });

    // Assess
    expect(result.findings.map((finding) => finding.kind)).toEqual(['not-terminal']);
  });
});
