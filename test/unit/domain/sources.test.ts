/**
 * The pure rules of the public ingest: write keys, userHash identity and the fixed-window limit.
 */

import type { TouchpointEvent } from '../../../functions/contract';
import { FixedWindowRateLimiter } from '../../../functions/domain/sources/rate-limit';
import { admitFromSource } from '../../../functions/domain/sources/source-identity';
import { userHashOf } from '../../../functions/domain/sources/user-hash';
import { keyOpensSource, newSource, sourceIdOfKey } from '../../../functions/domain/sources/write-keys';

describe('Function: newSource and keyOpensSource', () => {
  it('makes a key naming its source that opens it, and stores only its hash', () => {
    // Act
    const { source, writeKey } = newSource('Web shop', 'client');

    // Assess
    expect(sourceIdOfKey(writeKey)).toBe(source.sourceId);
    expect(keyOpensSource(writeKey, source)).toBe(true);
    expect(JSON.stringify(source)).not.toContain(writeKey.split('.')[1]);
    expect(source.userHashSecret).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['another key of the same source id', (key: string) => `${key.split('.')[0]}.${'A'.repeat(43)}`],
    ['a key with a character added', (key: string) => `${key}x`],
  ])('refuses %s', (_case, change) => {
    // Prepare
    const { source, writeKey } = newSource('Web shop', 'server');

    // Act
    const opens = keyOpensSource(change(writeKey), source);

    // Assess
    expect(opens).toBe(false);
  });

  it('refuses the right key once revoked', () => {
    // Prepare
    const { source, writeKey } = newSource('Till 4', 'client');

    // Act
    const opens = keyOpensSource(writeKey, { ...source, revokedAt: '2026-11-23T10:00:00Z' });

    // Assess
    expect(opens).toBe(false);
  });
});

describe('Function: admitFromSource', () => {
  const event = (fields: Partial<TouchpointEvent>) =>
    ({ type: 'track', event: 'X', messageId: 'm-1', ...fields }) as TouchpointEvent;

  it('trusts a server source with the userId as sent', () => {
    // Prepare
    const { source } = newSource('Backend', 'server');

    // Act
    const admission = admitFromSource(event({ userId: 'camille' }), source);

    // Assess
    expect(admission).toEqual({ ok: true, event: event({ userId: 'camille' }) });
  });

  it('keeps a client userId proven by userHash, at the top level or in context', () => {
    // Prepare
    const { source } = newSource('Web shop', 'client');
    const userHash = userHashOf('camille', source.userHashSecret!);

    // Act
    const top = admitFromSource(event({ userId: 'camille', userHash }), source);
    const inContext = admitFromSource(event({ userId: 'camille', context: { userHash } }), source);

    // Assess
    expect(top.ok && top.event.userId).toBe('camille');
    expect(inContext.ok && inContext.event.userId).toBe('camille');
  });

  it('drops an unproven client userId, keeping the event on its anonymousId', () => {
    // Prepare
    const { source } = newSource('Web shop', 'client');
    const forged = userHashOf('camille', 'a guess');

    // Act
    const admission = admitFromSource(
      event({ userId: 'camille', anonymousId: 'a-1', userHash: forged }),
      source,
    );

    // Assess
    expect(admission.ok && admission.event).toEqual(event({ anonymousId: 'a-1', userHash: forged }));
  });

  it('rejects an unproven client userId without an anonymousId, naming userHash', () => {
    // Prepare
    const { source } = newSource('Web shop', 'client');

    // Act
    const admission = admitFromSource(event({ userId: 'camille' }), source);

    // Assess
    expect(admission.ok).toBe(false);
    expect(!admission.ok && admission.issues[0]?.field).toBe('userHash');
  });
});

describe('Function: FixedWindowRateLimiter', () => {
  it('allows the limit per key per window, then says how long until the next window', () => {
    // Prepare
    let now = 10_250;
    const limiter = new FixedWindowRateLimiter({ limit: 2, windowSeconds: 10, now: () => now });

    // Act
    const decisions = [limiter.take('k'), limiter.take('k'), limiter.take('k'), limiter.take('other')];
    now = 20_000;
    const next = limiter.take('k');

    // Assess
    expect(decisions).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterSeconds: 10 },
      { allowed: true },
    ]);
    expect(next).toEqual({ allowed: true });
  });
});
