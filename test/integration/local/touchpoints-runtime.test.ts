import { trackEvent } from '@switchboard/client';
import type { TimelinePage } from '../../../functions/contract';
import type { LocalRuntime } from '../../../local/runtime';
import { testClients } from '../../helpers/emulators';
import { eventually } from '../../helpers/eventually';
import { startTestRuntime } from '../../helpers/local-runtime';
import { anAnonymousId, aTrackEvent } from '../../helpers/touchpoints';

jest.setTimeout(60_000);

describe('Local runtime: touchpoints', () => {
  const clients = testClients();
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startTestRuntime({ handlers: ['record-touchpoints', 'api'] });
  });
  afterAll(async () => {
    await runtime?.stop();
    clients.destroy();
  });

  it('records an event published to queues.touchpoints and one posted to /v1/events on one timeline', async () => {
    // Prepare
    const customerId = `c-local-${anAnonymousId()}`;
    const posted = aTrackEvent({
      userId: customerId,
      event: 'Cart Viewed',
      timestamp: '2026-11-23T09:00:00Z',
    });

    // Act
    const response = await fetch(new URL('/v1/events', runtime.localJson.httpUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(posted),
    });
    await trackEvent(
      {
        userId: customerId,
        event: 'Order Completed',
        timestamp: '2026-11-23T10:00:00Z',
        context: { channel: 'store' },
      },
      { client: clients.sqs, queueUrl: runtime.localJson.queues.touchpoints },
    );

    // Assess
    expect(response.status).toBe(202);
    const names = await eventually(
      async () => {
        const timeline = await fetch(
          new URL(`/v1/customers/${customerId}/timeline`, runtime.localJson.httpUrl),
        );
        const page = (await timeline.json()) as TimelinePage;
        return page.entries.flatMap((entry) => (entry.type === 'touchpoint' ? [entry.name] : []));
      },
      (seen) => seen.length === 2,
      { what: 'both touchpoints on the timeline' },
    );
    expect(names).toEqual(['Order Completed', 'Cart Viewed']);
  });
});
