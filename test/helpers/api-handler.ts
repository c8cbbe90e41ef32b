/**
 * The api handler as integration tests build it: the real ports on a test's own tables and queues
 * of the emulators, a silent logger, and whatever ports a test replaces (a clock, a canceller).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { type ApiPorts, createApiHandler } from '../../functions/handlers/api';
import { type ApiClients, apiPorts } from '../../functions/wiring/api-ports';
import type { LocalResources } from '../../local/emulators';

/** What {@link apiUnderTest} changes from the plain handler. */
export interface ApiUnderTestOptions {
  /** Ports that replace the real ones. */
  readonly ports?: Partial<ApiPorts>;
  /** Wire the journey routes to the resources' tables and timers queue (at this time scale). */
  readonly journeys?: { readonly timeScale: number };
}

/** The api handler on `resources`, with the emulators' clients. */
export function apiUnderTest(
  resources: LocalResources,
  clients: ApiClients,
  options: ApiUnderTestOptions = {},
): ReturnType<typeof createApiHandler> {
  const tables = {
    customersTable: resources.tables.customers,
    messagesTable: resources.tables.messages,
    outboundQueueUrl: resources.queues.outbound,
    retentionDays: 400,
  };
  const journeys = options.journeys && {
    ...tables,
    timersQueueUrl: resources.queues.journeyTimers,
    timeScale: options.journeys.timeScale,
  };
  return createApiHandler({
    ...apiPorts({ ...tables, ...(journeys ? { journeys } : {}) }, clients),
    logger: new Logger({ serviceName: 'api-test', logLevel: 'SILENT' }),
    ...options.ports,
  });
}
