import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkJava, EmulatorError, startEmulators } from '../../local/emulators';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Harness: emulator lifecycle', () => {
  it('says clearly that Java 17+ is needed when java is not on the PATH', () => {
    // Prepare
    const originalPath = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'no-java-'));

    // Act
    let thrown: unknown;
    try {
      checkJava();
    } catch (error) {
      thrown = error;
    } finally {
      process.env.PATH = originalPath;
    }

    // Assess
    expect(thrown).toBeInstanceOf(EmulatorError);
    expect((thrown as Error).message).toMatch(/^DynamoDB Local needs Java 17\+: install a JRE/);
  });

  it('binds both emulators to 127.0.0.1 and stops them by process id', async () => {
    // Starting a second pair of emulators can take a while on a loaded machine.
    // Prepare
    const emulators = await startEmulators();
    const { dynamodb, fauxqs } = emulators.pids;
    const running = [isRunning(dynamodb), isRunning(fauxqs)];

    // Act
    await emulators.stop();

    // Assess
    expect(emulators.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.sqsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running).toEqual([true, true]);
    expect([isRunning(dynamodb), isRunning(fauxqs)]).toEqual([false, false]);
  }, 120_000);
});
