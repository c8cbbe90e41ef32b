/**
 * Jest global set-up: starts the real emulators once for the whole run and hands their endpoints
 * to every test worker through the environment (workers inherit it), with the run's address pepper
 * generated and published the way the local runtime does it for its handlers.
 */
import { AddressPepperEnv } from '../../functions/config';
import { localAddressPepper } from '../../local/address-pepper';
import { startEmulators } from '../../local/emulators';

export default async function globalSetup(): Promise<void> {
  const emulators = await startEmulators();
  (globalThis as { __SWITCHBOARD_EMULATORS__?: unknown }).__SWITCHBOARD_EMULATORS__ = emulators;
  process.env.SWITCHBOARD_TEST_ENDPOINTS = JSON.stringify({
    region: emulators.region,
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    sqsEndpoint: emulators.sqsEndpoint,
    snsEndpoint: emulators.snsEndpoint,
  });
  process.env.SWITCHBOARD_TEST_EMULATOR_PIDS = JSON.stringify(emulators.pids);
  process.env[AddressPepperEnv.LOCAL_PEPPER] ??= localAddressPepper();
}
