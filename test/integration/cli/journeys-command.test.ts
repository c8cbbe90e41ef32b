import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli';
import { SEED_JOURNEYS_DIR } from '../../helpers/journeys';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'journeys');

/** A small valid journey in YAML, with `steps` replaced by the given YAML block. */
function journeyYaml(id: string, steps: string): string {
  return [
    `id: ${id}`,
    'version: 1',
    'entry:',
    '  event: Product Added',
    '  key: properties.cartId',
    'steps:',
    steps.trimEnd(),
    '',
  ].join('\n');
}

describe('Function: switchboard journeys', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'switchboard-journeys-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('checks the shipped journeys and exits 0', async () => {
    // Act
    const run = await runCli(['journeys', 'check']);

    // Assess
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('✓ journeys/cart-recovery.yaml (cart-recovery v1, 6 steps)');
    expect(run.out).toContain('2 journeys: 2 valid, 0 broken');
  });

  it.each([
    [
      'an unknown template',
      `  - { id: remind, type: send, template: no-such-template, category: marketing }
  - { id: done, type: exit }`,
      /:7 {2}steps\[0\]\.template: unknown template "no-such-template" \(known: back-in-stock, cart-reminder/,
    ],
    [
      'a step without exit',
      `  - { id: pause, type: wait, duration: PT1H }
  - { id: remind, type: send, template: cart-reminder, category: marketing }`,
      /:8 {2}steps\[1\]: step without exit: "remind" is the last step and names no next step/,
    ],
    [
      'an unreachable step',
      `  - { id: remind, type: send, template: cart-reminder, category: marketing, next: done }
  - { id: orphan, type: exit }
  - { id: done, type: exit }`,
      /:8 {2}steps\[1\]: unreachable step "orphan": no step leads to it from "remind"/,
    ],
    [
      'a bad duration',
      `  - { id: wait-order, type: waitFor, event: Order Completed, timeout: 1 hour, onEvent: done, onTimeout: done }
  - { id: done, type: exit }`,
      /:7 {2}steps\[0\]\.timeout: must be a positive ISO-8601 duration, such as PT1H, P1D or P30D \(got "1 hour"\)/,
    ],
    [
      'an unknown step reference',
      `  - { id: wait-order, type: waitFor, event: Order Completed, timeout: PT1H, onEvent: done, onTimeout: nowhere }
  - { id: done, type: exit }`,
      /:7 {2}steps\[0\]\.onTimeout: unknown step "nowhere"/,
    ],
    [
      'a cycle',
      `  - { id: first, type: wait, duration: PT1H, next: second }
  - { id: second, type: wait, duration: PT1H, next: first }
  - { id: done, type: exit }`,
      /steps\[1\]\.next: a cycle first → second → first/,
    ],
    [
      'a branch on the outcome of a step that sends nothing',
      `  - { id: pause, type: wait, duration: PT1H }
  - { id: check, type: branch, cases: [{ when: [{ step: pause, outcome: read }], next: done }], otherwise: done }
  - { id: done, type: exit }`,
      /steps\[1\]\.cases\[0\]\.when\[0\]\.step: "pause" is not a send step/,
    ],
    [
      'split percentages that do not add up',
      `  - { id: ab, type: split, paths: [{ percent: 50, next: done }, { percent: 30, next: done }] }
  - { id: done, type: exit }`,
      /steps\[0\]\.paths: percentages must add up to 100/,
    ],
  ])('exits 1 and names the path in the document for %s', async (_case, steps, expected) => {
    // Prepare
    const file = join(scratch, 'broken.yaml');
    writeFileSync(file, journeyYaml('broken', steps));

    // Act
    const run = await runCli(['journeys', 'check', file]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toContain('✗ ');
    expect(run.out).toMatch(expected);
    expect(run.out).toContain('1 journeys: 0 valid, 1 broken');
  });

  it('refuses a journey whose id is not its file name, and a file that is not YAML', async () => {
    // Prepare
    writeFileSync(join(scratch, 'renamed.yaml'), journeyYaml('other-name', '  - { id: done, type: exit }'));
    writeFileSync(join(scratch, 'garbled.json'), '{ "id": "garbled", ');

    // Act
    const run = await runCli(['journeys', 'check', '--dir', scratch]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/renamed\.yaml:1 {2}id: must be the file's name, "renamed"/);
    expect(run.out).toMatch(/garbled\.json(:\d+)? {2}\(document\): /);
    expect(run.out).toContain('2 journeys: 0 valid, 2 broken');
  });

  it('lists the shipped journeys with their entry, goals and steps', async () => {
    // Act
    const run = await runCli(['journeys', 'list', '--dir', SEED_JOURNEYS_DIR]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.out).toContain('cart-recovery v1 — Cart recovery');
    expect(run.out).toContain('  entry: Product Added, key properties.cartId, re-entry never');
    expect(run.out).toContain('  exit on: Order Completed');
    expect(run.out).toContain('  steps: thank-you (send) · done (exit)');
  });

  it('simulates cart-recovery for an abandoned cart: push after an hour, WhatsApp a day later', async () => {
    // Act
    const run = await runCli([
      'journeys',
      'simulate',
      join(SEED_JOURNEYS_DIR, 'cart-recovery.yaml'),
      '--events',
      join(FIXTURES, 'cart-abandoned.jsonl'),
    ]);

    // Assess
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '2026-11-23T09:30:00.000Z  Order Completed → run c-1234: ignored (not a goal, and the run is not waiting for this event)',
        '2026-11-23T10:00:00.000Z  timer → run c-1234',
        expect.stringMatching(
          /^ {4}send cart-reminder \(marketing, push>whatsapp>sms>email\) requestId jr_[0-9a-f]{32}\.push-reminder$/,
        ),
        '2026-11-24T10:00:00.000Z  timer → run c-1234',
        expect.stringMatching(
          /^ {4}send cart-reminder \(marketing, whatsapp\) requestId jr_[0-9a-f]{32}\.whatsapp-reminder$/,
        ),
      ]),
    );
    expect(lines.at(-1)).toBe('run c-1234 (camille): exited (completed: reminders sent)');
  });

  it('simulates cart-recovery stopped by a store purchase after the push: no WhatsApp reminder', async () => {
    // Act
    const run = await runCli([
      'journeys',
      'simulate',
      join(SEED_JOURNEYS_DIR, 'cart-recovery.yaml'),
      '--events',
      join(FIXTURES, 'cart-bought-in-store.jsonl'),
    ]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      '2026-11-23T09:00:05.000Z  Product Added (camille) → entry: ignored (duplicate event)',
    );
    expect(run.out).toContain(
      '2026-11-23T17:40:00.000Z  Order Completed → run c-1234\n    cancel timer of wait-again',
    );
    expect(run.out).toContain(
      '2026-11-23T10:20:00.000Z  message.clicked → run c-1234: push-reminder message clicked',
    );
    expect(run.out).not.toContain('whatsapp-reminder');
    expect(run.out.split('\n').at(-1)).toBe('run c-1234 (camille): exited (goal: Order Completed)');
  });

  it('simulates post-purchase: one thank-you per store or web order, none for a call-centre order', async () => {
    // Act
    const run = await runCli([
      'journeys',
      'simulate',
      join(SEED_JOURNEYS_DIR, 'post-purchase.yaml'),
      '--events',
      join(FIXTURES, 'orders.jsonl'),
    ]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.out.match(/send order-thank-you \(transactional, whatsapp>email>sms\)/g)).toHaveLength(1);
    expect(run.out).toContain('Order Completed (ada): not an entry, and no active run of this customer');
    expect(run.out.split('\n').at(-1)).toBe('run LS-20261126-0042 (camille): exited (completed: thanked)');
  });

  it('refuses to simulate without an events file', async () => {
    // Act
    const run = await runCli(['journeys', 'simulate', join(SEED_JOURNEYS_DIR, 'post-purchase.yaml')]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.err).toContain('simulate needs a journey file and --events');
  });
});
