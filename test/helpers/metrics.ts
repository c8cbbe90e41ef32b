/** Powertools Metrics for tests. */
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Powertools Metrics that publish nothing (EMF lines would flood test output; tests spy on addMetric). */
export function quietMetrics(serviceName = 'test'): Metrics {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    return new Metrics({ namespace: 'SwitchboardTest', serviceName });
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
}
