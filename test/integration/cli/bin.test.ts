import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const REPO = join(__dirname, '..', '..', '..');

describe('Function: the switchboard executable (bin/switchboard.js)', () => {
  it('runs the TypeScript CLI under plain node', async () => {
    // Act
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(REPO, 'bin', 'switchboard.js'), 'journeys', 'list'],
      { cwd: REPO, timeout: 60_000 },
    );

    // Assess
    expect(stdout).toContain('cart-recovery v1 — Cart recovery');
    expect(stdout).toContain('post-purchase v1 — Post-purchase thank-you');
  });
});
