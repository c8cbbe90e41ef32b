/**
 * Factories for journey tests: documents, events, a fake clock, and a small driver that plays
 * inputs through the interpreter the way an engine would (store the run only when it changed).
 */
import { join } from 'node:path';
import { readJourneyFile } from '../../functions/adapters/files/journey-files';
import { type Journey, type JourneyDocumentInput, JourneySchema } from '../../functions/contract';
import {
  type AdvanceResult,
  advance,
  type JourneyCustomer,
  type JourneyEffect,
  type JourneyEvent,
  type JourneyInput,
  type JourneyRun,
} from '../../functions/domain/journeys';

/** The repository's journeys/ folder. */
export const SEED_JOURNEYS_DIR = join(__dirname, '..', '..', 'journeys');

/** A seed journey from journeys/, checked (throws if it is broken). */
export function aSeedJourney(id: 'cart-recovery' | 'post-purchase'): Journey {
  const read = readJourneyFile(join(SEED_JOURNEYS_DIR, `${id}.yaml`));
  if (read.journey === undefined) throw new Error(`${id}: ${JSON.stringify(read.issues)}`);
  return read.journey;
}

/** A journey from a document, parsed through the schema: entry `Product Added` by cartId unless overridden. */
export function aJourney(overrides: Partial<JourneyDocumentInput> = {}): Journey {
  return JourneySchema.parse({
    id: 'test-journey',
    version: 1,
    entry: { event: 'Product Added', key: 'properties.cartId' },
    exitOn: [{ event: 'Order Completed' }],
    steps: [
      { id: 'remind', type: 'send', template: 'cart-reminder', category: 'marketing' },
      { id: 'done', type: 'exit' },
    ],
    ...overrides,
  });
}

/**
 * `follow-up`: a reminder, a day's wait, then a branch on the reminder's outcome (read: done; else a
 * second reminder). The one journey shape that reads a message's status.
 */
export function aFollowUpJourney(): Journey {
  return aJourney({
    id: 'follow-up',
    steps: [
      { id: 'remind', type: 'send', template: 'cart-reminder', category: 'marketing' },
      { id: 'pause', type: 'wait', duration: 'P1D' },
      { id: 'check', type: 'branch', cases: [{ when: [{ step: 'remind', outcome: 'read' }], next: 'done' }] },
      { id: 'again', type: 'send', template: 'cart-reminder', category: 'marketing' },
      { id: 'done', type: 'exit' },
    ],
  });
}

let eventCounter = 0;

/** A touchpoint event as a journey sees it, with a fresh id. */
export function aJourneyEvent(
  name: string,
  at: string,
  properties: Record<string, unknown> = {},
  overrides: Partial<JourneyEvent> = {},
): JourneyEvent {
  eventCounter += 1;
  const customerId = overrides.customerId ?? 'camille';
  return {
    id: `evt-${eventCounter}`,
    name,
    customerId,
    at,
    body: {
      type: 'track',
      event: name,
      userId: customerId,
      timestamp: at,
      properties,
      context: { channel: 'web' },
    },
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export interface FakeClock {
  now(): Date;
  set(at: string): void;
}

/** A fake clock starting at `at`. */
export function aFakeClock(at: string): FakeClock {
  let now = new Date(at);
  return { now: () => now, set: (next) => (now = new Date(next)) };
}

/** Plays inputs through {@link advance} against one stored run, as the engine adapter will. */
export class RunDriver {
  run: JourneyRun | undefined;
  readonly results: AdvanceResult[] = [];
  constructor(
    readonly journey: Journey,
    readonly clock: FakeClock,
    readonly customer: JourneyCustomer = { timezone: 'Europe/Paris', attributes: { firstName: 'Camille' } },
  ) {}

  /** Advances with one input at `at`; keeps the run only when it changed. */
  step(at: string, input: JourneyInput): AdvanceResult {
    this.clock.set(at);
    const result = advance(this.run, input, this.journey, this.clock);
    if (result.changed) this.run = result.run;
    this.results.push(result);
    return result;
  }

  /** An entry input. */
  enter(event: JourneyEvent): AdvanceResult {
    return this.step(event.at, { kind: 'entry', event, customer: this.customer });
  }

  /** An event input. */
  event(event: JourneyEvent): AdvanceResult {
    return this.step(event.at, { kind: 'event', event, customer: this.customer });
  }

  /** Fires the run's pending timer at its time (or at `at`, for a late firing). */
  fireTimer(at?: string): AdvanceResult {
    const position = this.run?.position;
    if (position === undefined) throw new Error('the run has no pending timer');
    return this.step(at ?? position.until, {
      kind: 'timer',
      token: position.timerToken,
      customer: this.customer,
    });
  }
}

/** The effects of one type from a result. */
export function effectsOf<T extends JourneyEffect['type']>(
  result: AdvanceResult,
  type: T,
): Extract<JourneyEffect, { type: T }>[] {
  return result.effects.filter(
    (effect): effect is Extract<JourneyEffect, { type: T }> => effect.type === type,
  );
}

/** Every send effect of every result so far. */
export function allSends(driver: RunDriver): Extract<JourneyEffect, { type: 'send' }>[] {
  return driver.results.flatMap((result) => effectsOf(result, 'send'));
}
