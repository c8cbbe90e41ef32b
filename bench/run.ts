/**
 * `npm run bench`: starts the emulators, runs every benchmark, prints the tables, stops the
 * emulators by process id.
 */
import { startEmulators } from '../local/emulators';
import { benchRouter, printRouterTable } from './router';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// EMF metrics would go to stdout between the tables; the router's metric calls still run.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

async function main(): Promise<void> {
  const emulators = await startEmulators();
  try {
    const batches = Number(process.env.BENCH_BATCHES ?? 40);
    printRouterTable(await benchRouter(emulators, { batches }));
  } finally {
    await emulators.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
