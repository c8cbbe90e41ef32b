import { deriveEngagement, MACHINE_OPEN_EVENT } from '../../../functions/domain/engagement-from-ledger';
import type { LedgerChange } from '../../../functions/domain/ledger-change-events';

const AT = '2026-11-23T14:00:00.000Z';
const AT_MS = Date.parse(AT);

/** An email attempt item with the given history (queued first). */
function anAttempt(...statuses: (string | { status: string; providerEvent: string })[]) {
  return {
    kind: 'attempt',
    customerId: 'c-1',
    messageId: 'msg-1',
    channel: 'email',
    attempt: 1,
    category: 'marketing',
    history: [
      { status: 'queued', at: AT },
      ...statuses.map((entry) =>
        typeof entry === 'string' ? { status: entry, at: AT } : { ...entry, at: AT },
      ),
    ],
  };
}

function change(before: Record<string, unknown> | undefined, after: Record<string, unknown>): LedgerChange {
  return { table: 'messages', ...(before ? { oldImage: before } : {}), newImage: after };
}

const kinds = (c: LedgerChange) => deriveEngagement(c).map((signal) => signal.event.kind);

describe('Function: deriveEngagement', () => {
  it('counts a send when the attempt is recorded sent, with its customer, message and category', () => {
    // Act
    const signals = deriveEngagement(change(anAttempt(), anAttempt('sent')));

    // Assess
    expect(signals).toEqual([
      {
        customerId: 'c-1',
        messageId: 'msg-1',
        category: 'marketing',
        event: { channel: 'email', kind: 'sent', atMs: AT_MS },
      },
    ]);
  });

  it('counts a send and a delivery once when the first receipt already says delivered', () => {
    expect(kinds(change(anAttempt(), anAttempt('delivered')))).toEqual(['sent', 'delivered']);
  });

  it('counts the first engagement of a message once, and a click after an open for nothing', () => {
    // Prepare
    const opened = anAttempt('sent', 'delivered', 'opened');

    // Act
    const first = kinds(change(anAttempt('sent', 'delivered'), opened));
    const second = kinds(change(opened, anAttempt('sent', 'delivered', 'opened', 'clicked')));

    // Assess
    expect(first).toEqual(['opened']);
    expect(second).toEqual([]);
  });

  it('counts no engagement for a machine open, and the click that follows it as the first', () => {
    // Prepare
    const machine = anAttempt('sent', 'delivered', { status: 'opened', providerEvent: MACHINE_OPEN_EVENT });

    // Act
    const open = kinds(change(anAttempt('sent', 'delivered'), machine));
    const click = kinds(
      change(
        machine,
        anAttempt('sent', 'delivered', { status: 'opened', providerEvent: MACHINE_OPEN_EVENT }, 'clicked'),
      ),
    );

    // Assess
    expect(open).toEqual([]);
    expect(click).toEqual(['clicked']);
  });

  it('counts nothing for a failed attempt', () => {
    expect(kinds(change(anAttempt(), anAttempt('failed')))).toEqual([]);
  });

  it('counts a reply to one of our messages as an engagement of its channel, for the customer only', () => {
    // Prepare
    const inbound = {
      kind: 'inbound',
      customerId: 'c-1',
      channel: 'whatsapp',
      inReplyTo: 'msg-1',
      receivedAt: AT,
    };

    // Act
    const signals = deriveEngagement(change(undefined, inbound));

    // Assess
    expect(signals).toEqual([
      {
        customerId: 'c-1',
        messageId: 'msg-1',
        event: { channel: 'whatsapp', kind: 'replied', atMs: AT_MS, firstForMessage: true },
      },
    ]);
  });

  it('counts nothing for an inbound message that answers none of ours, nor for the customers table', () => {
    expect(
      deriveEngagement(change(undefined, { kind: 'inbound', customerId: 'c-1', receivedAt: AT })),
    ).toEqual([]);
    expect(deriveEngagement({ table: 'customers', newImage: anAttempt('sent') })).toEqual([]);
  });
});
