import {
  applyEngagementEvent,
  type CustomerEngagement,
  decayChannelEngagement,
  EngagementKind,
} from '../../../../functions/domain/channel-choice';
import { counts, NOW_MS } from '../../../helpers/channel-choice';

const DAY_MS = 86_400_000;

describe('Function: decayChannelEngagement', () => {
  it('halves every count at the half-life', () => {
    // Prepare
    const before = counts(10, 4, 2, NOW_MS);

    // Act
    const after = decayChannelEngagement(before, NOW_MS + 90 * DAY_MS);

    // Assess
    expect(after).toEqual({
      sends: 5,
      deliveries: 5,
      engagements: 2,
      conversions: 1,
      updatedAtMs: NOW_MS + 90 * DAY_MS,
    });
  });

  it('follows a configured half-life', () => {
    const after = decayChannelEngagement(counts(8, 8), NOW_MS + 60 * DAY_MS, { halfLifeDays: 30 });
    expect(after.sends).toBeCloseTo(2, 10);
  });

  it('leaves counts alone for an instant that is not later', () => {
    const before = counts(3, 1);
    expect(decayChannelEngagement(before, NOW_MS - DAY_MS)).toBe(before);
  });
});

describe('Function: applyEngagementEvent', () => {
  const email = (kind: (typeof EngagementKind)[keyof typeof EngagementKind], extra = {}) => ({
    channel: 'email' as const,
    kind,
    atMs: NOW_MS,
    ...extra,
  });

  it('counts a send, a delivery, a human open and a conversion on their own counters', () => {
    // Prepare
    let engagement: CustomerEngagement = {};

    // Act
    for (const event of [
      email('sent'),
      email('delivered'),
      email('opened', { machineOpen: false }),
      email('converted'),
    ]) {
      engagement = applyEngagementEvent(engagement, event);
    }

    // Assess
    expect(engagement.email).toEqual(counts(1, 1, 1));
  });

  it('ignores machine opens', () => {
    const engagement = applyEngagementEvent({ email: counts(1, 0) }, email('opened', { machineOpen: true }));
    expect(engagement.email?.engagements).toBe(0);
  });

  it('counts a message engaged once however many reads, clicks and replies it gets', () => {
    // Prepare
    const start: CustomerEngagement = { whatsapp: counts(1, 0) };
    const first = {
      channel: 'whatsapp' as const,
      kind: EngagementKind.READ,
      atMs: NOW_MS,
      firstForMessage: true,
    };

    // Act
    const afterRead = applyEngagementEvent(start, first);
    const afterClick = applyEngagementEvent(afterRead, { ...first, kind: 'clicked', firstForMessage: false });

    // Assess
    expect(afterClick.whatsapp?.engagements).toBe(1);
  });

  it('decays what it had before adding the new event', () => {
    const engagement = applyEngagementEvent(
      { sms: counts(4, 2) },
      { channel: 'sms', kind: 'sent', atMs: NOW_MS + 90 * DAY_MS },
    );
    expect(engagement.sms).toMatchObject({ sends: 3, engagements: 1, updatedAtMs: NOW_MS + 90 * DAY_MS });
  });

  it('adds a late event at what it is still worth', () => {
    const engagement = applyEngagementEvent(
      { sms: counts(0, 0) },
      { channel: 'sms', kind: 'sent', atMs: NOW_MS - 90 * DAY_MS },
    );
    expect(engagement.sms).toMatchObject({ sends: 0.5, updatedAtMs: NOW_MS });
  });

  it('leaves the input as it was', () => {
    const start: CustomerEngagement = { email: counts(1, 0) };
    applyEngagementEvent(start, email('sent'));
    expect(start.email).toEqual(counts(1, 0));
  });
});
