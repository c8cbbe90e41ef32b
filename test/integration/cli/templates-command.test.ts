import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

/** Runs the real `switchboard` executable, as `npx switchboard` would. */
function switchboard(...args: string[]) {
  const result = spawnSync(process.execPath, [join(REPO, 'bin', 'switchboard.js'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('Function: switchboard templates', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('checks every shipped template and exits 0', () => {
    // Act
    const run = switchboard('templates', 'check');

    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('✓ cart-reminder whatsapp fr (window closed) (template)');
    expect(run.stdout).toMatch(/4 templates in .*: 40 renders, 0 errors/);
  });

  it.each([
    [
      'a missing variable',
      'cart-reminder/fr/sms.liquid',
      'Bonjour {{ data.voucher }}',
      /✗ cart-reminder sms fr: .*undefined variable: data\.voucher/,
    ],
    [
      'a Liquid syntax error',
      'weekly-offer/en/push.body.liquid',
      '{% for x in %}',
      /✗ weekly-offer: en\/push\.body\.liquid: /,
    ],
  ])('exits 1 and names the fault on %s', (_case, file, source, expected) => {
    // Prepare
    const dir = join(scratch, 'templates');
    cpSync(join(REPO, 'templates'), dir, { recursive: true });
    writeFileSync(join(dir, file), source);

    // Act
    const run = switchboard('templates', 'check', '--dir', dir);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(expected);
    expect(run.stdout).toMatch(/[1-9]\d* errors/);
  });

  it('previews a template for one channel and locale', () => {
    // Act
    const run = switchboard(
      'templates',
      'preview',
      'order-thank-you',
      '--channel',
      'email',
      '--locale',
      'fr',
    );

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('order-thank-you · email · fr (variant fr)');
    expect(run.stdout).toContain('subject: Merci pour votre commande LS-20261126-0042');
    expect(run.stdout).toContain('<html lang="fr">');
  });

  it('previews with data from a file, as JSON', () => {
    // Prepare
    const manifest = JSON.parse(
      readFileSync(join(REPO, 'templates', 'back-in-stock', 'template.json'), 'utf8'),
    );
    const data = join(scratch, 'data.json');
    writeFileSync(data, JSON.stringify({ ...manifest.sample.data, inStock: false }));

    // Act
    const run = switchboard(
      'templates',
      'preview',
      'back-in-stock',
      '-c',
      'sms',
      '--data',
      data,
      '--format',
      'json',
    );

    // Assess
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).content.text).toContain('is not in stock at Lumière Opéra yet');
  });

  it.each([
    [['templates', 'preview', 'cart-reminder'], 2, 'preview needs a template name and --channel'],
    [['templates', 'preview', 'nope', '--channel', 'sms'], 1, 'unknown template "nope"'],
    [['nope'], 2, 'unknown command "nope"'],
  ])('fails clearly on %j', (args, status, message) => {
    // Act
    const run = switchboard(...args);

    // Assess
    expect(run.status).toBe(status);
    expect(run.stderr).toContain(message);
  });
});
