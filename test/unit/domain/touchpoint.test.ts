import { TouchpointEventSchema } from '../../../functions/contract';
import { profileOf, toTouchpoint, touchpointChannel } from '../../../functions/domain/touchpoints/touchpoint';
import {
  mergeAttributes,
  traitsToAttributes,
} from '../../../functions/domain/touchpoints/traits-to-attributes';
import { aSegmentFixture, aTrackEvent } from '../../helpers/touchpoints';

describe('Function: toTouchpoint', () => {
  it('keeps channel, campaign, locale and page, and never the IP or user agent', () => {
    // Prepare
    const event = TouchpointEventSchema.parse(aSegmentFixture('track'));

    // Act
    const touchpoint = toTouchpoint(event, new Date('2026-11-23T10:00:00Z'));

    // Assess
    expect(touchpoint).toMatchObject({
      type: 'track',
      name: 'Course Clicked',
      customerId: 'AiUGstSDIg',
      channel: 'web',
    });
    expect(JSON.stringify(touchpoint)).not.toMatch(/108\.0\.78\.21|Mozilla/);
    expect(touchpoint.context).toEqual({
      page: expect.objectContaining({ path: '/academy/' }),
      channel: 'web',
    });
  });

  it('keeps the IP and user agent the deployment chose to keep, those of the event before those of the connection', () => {
    // Prepare
    const event = TouchpointEventSchema.parse(aSegmentFixture('track'));
    const withoutIp = TouchpointEventSchema.parse(aTrackEvent({ userId: 'a' }));
    const request = { ip: '203.0.113.9', userAgent: 'Till/2.1' };

    // Act
    const both = toTouchpoint(event, new Date(), { keep: ['ip', 'userAgent'], request });
    const ipOnly = toTouchpoint(withoutIp, new Date(), { keep: ['ip'], request });

    // Assess
    expect(both.context).toMatchObject({ ip: '108.0.78.21', userAgent: expect.stringMatching(/^Mozilla/) });
    expect(ipOnly.context).toMatchObject({ ip: '203.0.113.9' });
    expect(ipOnly.context).not.toHaveProperty('userAgent');
  });

  it('dates an event without a timestamp at its receipt', () => {
    // Prepare
    const event = TouchpointEventSchema.parse(aTrackEvent({ userId: 'a', timestamp: undefined }));

    // Act
    const touchpoint = toTouchpoint(event, new Date('2026-11-23T10:00:00Z'));

    // Assess
    expect(touchpoint.occurredAt).toBe('2026-11-23T10:00:00.000Z');
  });

  it('writes an offset timestamp in UTC, so that timeline keys sort by time', () => {
    // Prepare
    const event = TouchpointEventSchema.parse(
      aTrackEvent({ userId: 'a', timestamp: '2026-11-23T11:00:00+01:00' }),
    );

    // Act
    const touchpoint = toTouchpoint(event, new Date());

    // Assess
    expect(touchpoint.occurredAt).toBe('2026-11-23T10:00:00.000Z');
  });
});

describe('Function: touchpointChannel', () => {
  it.each([
    [{ context: { channel: 'store' } }, 'store'],
    [{ context: { library: { name: 'analytics-node' } } }, 'server'],
    [{ channel: 'browser' }, 'web'],
    [{ channel: 'mobile', context: { channel: 'pos' } }, 'pos'],
    [{ context: { library: { name: 'something-else' } } }, undefined],
  ])('reads %j as %s', (fields, expected) => {
    // Prepare
    const event = TouchpointEventSchema.parse({
      ...aTrackEvent({ userId: 'a', context: undefined }),
      ...fields,
    });

    // Act and assess
    expect(touchpointChannel(event)).toBe(expected);
  });
});

describe('Function: profileOf', () => {
  it('puts an event with both ids on the customer', () => {
    // Act and assess
    expect(profileOf({ userId: 'cust-1', anonymousId: 'anon-1' })).toEqual({
      kind: 'customer',
      customerId: 'cust-1',
    });
    expect(profileOf({ anonymousId: 'anon-1' })).toEqual({ kind: 'anonymous', anonymousId: 'anon-1' });
  });
});

describe('Function: traitsToAttributes', () => {
  it('copies scalar traits and leaves out addresses and nested traits', () => {
    // Prepare
    const traits = aSegmentFixture('identify').traits as Record<string, unknown>;

    // Act
    const attributes = traitsToAttributes(traits);

    // Assess
    expect(attributes).toEqual({ name: 'Peter Gibbons', plan: 'premium', logins: 5 });
  });

  it('leaves out keys the Customer contract does not allow', () => {
    // Act and assess
    expect(traitsToAttributes({ 'first name': 'Ada', ok: true, long: 'x'.repeat(2000) })).toEqual({
      ok: true,
    });
  });
});

describe('Function: mergeAttributes', () => {
  it('updates existing keys but adds none past fifty', () => {
    // Prepare
    const full = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, i]));

    // Act
    const merged = mergeAttributes(full, { a0: 'changed', extra: 1 });

    // Assess
    expect(merged.a0).toBe('changed');
    expect('extra' in merged).toBe(false);
  });
});
