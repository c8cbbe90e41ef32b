/** The chaos suite's run: the load benchmark on the test emulators, small N, faults injected. */

import { describeReconciliation } from '../../bench/lib/reconcile';
import { type ChaosOptions, type LoadResult, runLoad } from '../../bench/load';
import { isolatedResources, testEndpoints } from './emulators';

/** Messages per chaos run (`CHAOS_N`, 200 unless set; CI uses less). */
export const N = Number(process.env.CHAOS_N ?? 200);

/** Publishes N requests with the faults in `chaos`, waits for the queues to drain, reconciles. */
export async function chaosRun(chaos: ChaosOptions, handlers?: readonly string[]): Promise<LoadResult> {
  const result = await runLoad({
    ...(handlers ? { handlers } : {}),
    n: N,
    customers: Math.min(100, N),
    deadlineSeconds: 240,
    emulators: { ...testEndpoints(), ...(await isolatedResources()) },
    // Failed records come back after 3 s instead of minutes, so a run fits in CI.
    chaos: { visibilityTimeoutSeconds: 3, ...chaos },
  });
  // The reconciliation's own words, so a failure says which message and why.
  if (!result.reconciliation.ok) console.error(describeReconciliation(result.reconciliation).join('\n'));
  return result;
}
