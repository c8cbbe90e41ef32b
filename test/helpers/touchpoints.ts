/**
 * Factories for touchpoint events: the Segment spec fixtures (test/fixtures/segment) and small
 * events with fresh ids.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TouchpointEventInput } from '../../functions/contract';

/** A Segment spec example payload from test/fixtures/segment. */
export function aSegmentFixture(name: 'track' | 'identify' | 'page' | 'batch'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'segment', `${name}.json`), 'utf8'));
}

/** A track event with a fresh messageId. */
export function aTrackEvent(overrides: Partial<TouchpointEventInput> = {}): TouchpointEventInput {
  return {
    type: 'track',
    event: 'Product Added',
    messageId: `msg-${randomUUID()}`,
    timestamp: '2026-11-23T10:00:00.000Z',
    properties: { sku: 'SHIRT-42', price: 39 },
    context: { channel: 'web', campaign: { source: 'newsletter', medium: 'email' }, locale: 'fr-FR' },
    ...overrides,
  } as TouchpointEventInput;
}

/** An identify event with a fresh messageId. */
export function anIdentifyEvent(overrides: Partial<TouchpointEventInput> = {}): TouchpointEventInput {
  return {
    type: 'identify',
    messageId: `msg-${randomUUID()}`,
    timestamp: '2026-11-23T10:05:00.000Z',
    traits: { firstName: 'Camille', plan: 'gold' },
    ...overrides,
  } as TouchpointEventInput;
}

/** A fresh anonymous id, as Segment's browser library makes them. */
export function anAnonymousId(): string {
  return randomUUID();
}
