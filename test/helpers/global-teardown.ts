/** Jest global tear-down: stops the emulators by process id. */
import type { Emulators } from '../../local/emulators';

export default async function globalTeardown(): Promise<void> {
  const emulators = (globalThis as { __SWITCHBOARD_EMULATORS__?: Emulators }).__SWITCHBOARD_EMULATORS__;
  await emulators?.stop();
}
