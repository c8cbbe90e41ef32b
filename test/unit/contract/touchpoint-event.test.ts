import { parseTouchpointBody, TOUCHPOINT_BATCH_MAX_EVENTS } from '../../../functions/contract';
import { aSegmentFixture, aTrackEvent } from '../../helpers/touchpoints';

describe('Function: parseTouchpointBody', () => {
  it.each(['track', 'identify', 'page'] as const)('accepts the Segment spec %s example unchanged', (name) => {
    // Prepare
    const fixture = aSegmentFixture(name);

    // Act
    const parsed = parseTouchpointBody(fixture);

    // Assess
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data.events).toEqual([expect.objectContaining({ index: 0, ok: true })]);
  });

  it('accepts the batch example with writeKey, sentAt, context and _metadata beside the events', () => {
    // Act
    const parsed = parseTouchpointBody(aSegmentFixture('batch'));

    // Assess
    expect(parsed.success && parsed.data.events.every((event) => event.ok)).toBe(true);
    expect(parsed.success && parsed.data.batch).toBe(true);
  });

  it.each([
    ['no messageId', { messageId: undefined }, 'messageId', 'is required'],
    ['a track without event', { event: undefined }, 'event', 'is required for a track event'],
    [
      'neither userId nor anonymousId',
      { userId: undefined, anonymousId: undefined },
      'userId',
      'is required when anonymousId is absent',
    ],
    ['an unknown channel', { context: { channel: 'fax' } }, 'context.channel', 'must be one of'],
    ['a screen call', { type: 'screen' }, 'type', 'must be one of track, identify, page'],
    ['a timestamp without a zone', { timestamp: '2026-11-23 10:00' }, 'timestamp', 'ISO 8601'],
    ['properties that are a list', { properties: [1, 2] }, 'properties', 'must be an object'],
    [
      'a campaign source that is a number',
      { context: { campaign: { source: 7 } } },
      'context.campaign.source',
      'must be a string',
    ],
    ['a bad locale', { context: { locale: 'not a locale!' } }, 'context.locale', 'language tag'],
  ])('rejects an event with %s, naming the field', (_case, overrides, field, message) => {
    // Prepare
    const event = { ...aTrackEvent({ userId: 'cust-1' }), ...overrides };

    // Act
    const parsed = parseTouchpointBody(event);

    // Assess
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    const [only] = parsed.data.events;
    expect(only?.ok).toBe(false);
    if (only?.ok !== false) return;
    expect(only.issues).toEqual(
      expect.arrayContaining([{ field, message: expect.stringContaining(message) }]),
    );
  });

  it('rejects one bad event of a batch with its index, keeping the others valid', () => {
    // Prepare
    const body = {
      batch: [
        aTrackEvent({ userId: 'a' }),
        aTrackEvent({ userId: 'b', event: undefined }),
        aTrackEvent({ userId: 'c' }),
      ],
    };

    // Act
    const parsed = parseTouchpointBody(body);

    // Assess
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data.events.map((event) => event.ok)).toEqual([true, false, true]);
    expect(parsed.data.events[1]).toMatchObject({
      index: 1,
      issues: [{ field: 'batch[1].event', message: 'is required for a track event' }],
    });
  });

  it.each([
    [
      'more than the most events',
      { batch: Array.from({ length: TOUCHPOINT_BATCH_MAX_EVENTS + 1 }, () => aTrackEvent({ userId: 'a' })) },
    ],
    ['an empty batch', { batch: [] }],
    ['a batch that is not a list', { batch: 'all of them' }],
  ])('rejects a body with %s as a whole', (_case, body) => {
    // Act
    const parsed = parseTouchpointBody(body);

    // Assess
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.issues[0]?.field).toBe('batch');
  });
});
