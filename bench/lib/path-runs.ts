/** The harness the per-path cost benches share: one set of emulators, one request counter, path after path. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type LocalEndpoints, localClientConfig, startEmulators } from '../../local/emulators';
import { installRequestCounter, type RequestCounter } from './aws-requests';

/** Options of {@link measureEachPath}. */
export interface EachPathOptions<R> {
  /** Count SQS receives that returned nothing apart (RequestCounter.separateEmptyReceives). */
  readonly separateEmptyReceives?: boolean;
  /** Called with each path's result as soon as it is measured (a long run shows progress). */
  readonly onResult?: ((result: R) => void) | undefined;
}

/**
 * Starts the emulators and the request counter, measures every path in turn (each on tables and
 * queues of its own, made by `measure`), and stops both whatever happens.
 */
export async function measureEachPath<P, R>(
  paths: readonly P[],
  measure: (endpoints: LocalEndpoints, counter: RequestCounter, path: P) => Promise<R>,
  options: EachPathOptions<R> = {},
): Promise<R[]> {
  const emulators = await startEmulators();
  const counter = installRequestCounter();
  counter.separateEmptyReceives = options.separateEmptyReceives ?? false;
  try {
    const results: R[] = [];
    for (const path of paths) {
      const result = await measure(emulators, counter, path);
      options.onResult?.(result);
      results.push(result);
    }
    return results;
  } finally {
    counter.uninstall();
    await emulators.stop();
  }
}

/** The bench's own clients, whose requests the counter never counts (set-up, waiting, reading back). */
export interface ObserverClients {
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  destroy(): void;
}

/** SQS and DynamoDB clients on the emulators that `counter` ignores. */
export function observerClients(endpoints: LocalEndpoints, counter: RequestCounter): ObserverClients {
  const sqs = new SQSClient(localClientConfig(endpoints, endpoints.sqsEndpoint));
  const dynamodb = new DynamoDBClient(localClientConfig(endpoints, endpoints.dynamodbEndpoint));
  counter.ignore(sqs);
  counter.ignore(dynamodb);
  return {
    sqs,
    dynamodb,
    destroy: () => {
      sqs.destroy();
      dynamodb.destroy();
    },
  };
}
