import { type OutboxChange, type OutboxEntry, SandboxOutbox } from '../../../local/sandbox/outbox';

const entry = (id: string, channel: OutboxEntry['channel'] = 'sms'): OutboxEntry => ({
  id,
  channel,
  provider: 'twilio',
  messageId: `m-${id}`,
  customerId: 'c-1',
  attempt: 1,
  to: '+14155550100',
  content: { text: 'hi' },
  outcome: 'accepted',
  acceptedAt: new Date(0).toISOString(),
  statuses: [],
  callbacks: [],
});

describe('Class: SandboxOutbox', () => {
  it('lists newest first and forgets the oldest past its limit', () => {
    // Prepare
    const outbox = new SandboxOutbox(2);

    // Act
    for (const id of ['a', 'b', 'c']) outbox.add(entry(id));

    // Assess
    expect(outbox.list().map((e) => e.id)).toEqual(['c', 'b']);
    expect(outbox.get('a')).toBeUndefined();
  });

  it('filters by channel and tells subscribers about additions and status changes', () => {
    // Prepare
    const outbox = new SandboxOutbox();
    const changes: OutboxChange[] = [];
    const unsubscribe = outbox.subscribe((change) => changes.push(change));

    // Act
    outbox.add(entry('a', 'sms'));
    outbox.add(entry('b', 'email'));
    outbox.addStatus('a', { status: 'delivered', at: new Date(0).toISOString() });
    unsubscribe();
    outbox.addStatus('b', { status: 'delivered', at: new Date(0).toISOString() });

    // Assess
    expect(outbox.list({ channel: 'email' }).map((e) => e.id)).toEqual(['b']);
    expect(changes.map((c) => [c.kind, c.entry.id])).toEqual([
      ['added', 'a'],
      ['added', 'b'],
      ['updated', 'a'],
    ]);
  });
});
