/**
 * The OpenAPI description matches what the API really answers: requests through the real handler
 * on DynamoDB Local and fauxqs, each answer's status listed for its operation in
 * schemas/openapi.json and its body valid against the described schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DynamoDbJourneyRunStore } from '../../functions/adapters/dynamodb/journey-run-store';
import { apiUnderTest } from '../helpers/api-handler';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, aRequest } from '../helpers/factories';
import { anApiEvent } from '../helpers/http-api';
import { aFakeClock, aJourneyEvent, aSeedJourney, RunDriver } from '../helpers/journeys';
import { routerUnderTest } from '../helpers/router';

type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };
const document = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(document, 'openapi.json');

/** JSON Pointer escaping of one segment. */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Checks one answer against the description of `METHOD path` (path as the document writes it). */
function expectDescribed(routeKey: string, answer: { statusCode?: number; body?: string }): void {
  const [method, path] = routeKey.split(' ') as [string, string];
  const responses = document.paths[path]?.[method.toLowerCase()]?.responses ?? {};
  const status = String(answer.statusCode);
  expect({ routeKey, status, listed: status in responses }).toEqual({ routeKey, status, listed: true });
  if (!responses[status]?.content) {
    expect(answer.body ?? '').toBe('');
    return;
  }
  const validate = ajv.getSchema(
    `openapi.json#/paths/${pointer(path)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`,
  );
  const valid = validate?.(JSON.parse(answer.body ?? 'null'));
  expect({ routeKey, status, errors: validate?.errors ?? [] }).toEqual({ routeKey, status, errors: [] });
  expect(valid).toBe(true);
}

describe('Contract: the OpenAPI description against the api handler', () => {
  const clients = testClients();
  afterAll(() => clients.destroy());

  it('describes every answer of a customer and message journey', async () => {
    // Prepare
    const resources = await isolatedResources();
    const api = apiUnderTest(resources, clients);
    const customer = aCustomer();
    const other = aCustomer({ addresses: { email: customer.addresses.email } });
    const at = (suffix = '') => `/v1/customers/${customer.customerId}${suffix}`;
    const request = aRequest(customer.customerId);

    // Act
    const answers: [string, Awaited<ReturnType<typeof api>>][] = [
      ['PUT /v1/customers/{customerId}', await api(anApiEvent('PUT', at(), customer))],
      [
        'PUT /v1/customers/{customerId}',
        await api(anApiEvent('PUT', at(), { ...customer, locale: 'fr-FR' })),
      ],
      ['PUT /v1/customers/{customerId}', await api(anApiEvent('PUT', at(), { nickname: 'Ada' }))],
      [
        'PUT /v1/customers/{customerId}',
        await api(anApiEvent('PUT', `/v1/customers/${other.customerId}`, other)),
      ],
      ['GET /v1/customers/{customerId}', await api(anApiEvent('GET', at()))],
      ['GET /v1/customers/{customerId}', await api(anApiEvent('GET', '/v1/customers/nobody-here'))],
      [
        'PUT /v1/customers/{customerId}/consent',
        await api(
          anApiEvent('PUT', at('/consent'), { category: 'marketing', channel: 'email', status: 'opted_in' }),
        ),
      ],
      [
        'PUT /v1/customers/{customerId}/consent',
        await api(anApiEvent('PUT', at('/consent'), { category: 'x' })),
      ],
      ['POST /v1/messages', await api(anApiEvent('POST', '/v1/messages', request))],
      ['POST /v1/messages', await api(anApiEvent('POST', '/v1/messages', { schemaVersion: 2 }))],
    ];
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.outbound, MaxNumberOfMessages: 10 }),
    );
    await routerUnderTest(resources, clients).handler(
      anSqsEvent((received.Messages ?? []).map((message) => message.Body ?? '')),
    );
    answers.push(
      ['GET /v1/customers/{customerId}/timeline', await api(anApiEvent('GET', at('/timeline?limit=5')))],
      ['GET /v1/customers/{customerId}/timeline', await api(anApiEvent('GET', at('/timeline?limit=0')))],
      ['DELETE /v1/customers/{customerId}', await api(anApiEvent('DELETE', at()))],
    );

    // Assess
    expect(answers.map(([, answer]) => answer.statusCode)).toEqual([
      201, 200, 400, 409, 200, 404, 200, 400, 202, 400, 200, 400, 204,
    ]);
    expect(
      JSON.parse(answers[10]![1].body ?? '{}').entries.map((entry: { type: string }) => entry.type),
    ).toEqual(['message', 'consent']);
    for (const [routeKey, answer] of answers) expectDescribed(routeKey, answer);
  });

  it('describes every answer of the journey routes', async () => {
    // Prepare
    const resources = await isolatedResources();
    const api = apiUnderTest(resources, clients, { journeys: { timeScale: 1 } });

    // Act
    const answers: [string, Awaited<ReturnType<typeof api>>][] = [
      ['GET /v1/journeys', await api(anApiEvent('GET', '/v1/journeys'))],
      [
        'GET /v1/journeys/{journeyId}/stats',
        await api(anApiEvent('GET', '/v1/journeys/cart-recovery/stats')),
      ],
      ['GET /v1/journeys/{journeyId}/stats', await api(anApiEvent('GET', '/v1/journeys/Bad_Id/stats'))],
      ['GET /v1/journeys/{journeyId}/stats', await api(anApiEvent('GET', '/v1/journeys/nope/stats'))],
      [
        'POST /v1/journeys/{journeyId}/cancel',
        await api(anApiEvent('POST', '/v1/journeys/cart-recovery/cancel', { customerId: 'nobody' })),
      ],
      [
        'POST /v1/journeys/{journeyId}/cancel',
        await api(anApiEvent('POST', '/v1/journeys/cart-recovery/cancel', { key: 'c-1' })),
      ],
      [
        'POST /v1/journeys/{journeyId}/cancel',
        await api(anApiEvent('POST', '/v1/journeys/nope/cancel', { customerId: 'ada' })),
      ],
    ];

    // Assess
    expect(answers.map(([, answer]) => answer.statusCode)).toEqual([200, 200, 400, 404, 200, 400, 404]);
    for (const [routeKey, answer] of answers) expectDescribed(routeKey, answer);
  });

  it("describes a timeline with a journey run's entries", async () => {
    // Prepare: one run reminded after an hour and one ended by its goal, stored by the run store.
    const resources = await isolatedResources();
    const api = apiUnderTest(resources, clients);
    const customerId = aCustomer().customerId;
    const reminded = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock('2026-11-23T09:00:00Z'));
    reminded.enter(aJourneyEvent('Product Added', '2026-11-23T09:00:00Z', { cartId: 'c-1' }, { customerId }));
    reminded.fireTimer();
    const bought = new RunDriver(aSeedJourney('cart-recovery'), aFakeClock('2026-11-23T09:05:00Z'));
    bought.enter(aJourneyEvent('Product Added', '2026-11-23T09:05:00Z', { cartId: 'c-2' }, { customerId }));
    bought.event(aJourneyEvent('Order Completed', '2026-11-23T09:10:00Z', { cartId: 'c-2' }, { customerId }));
    const runs = new DynamoDbJourneyRunStore({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    for (const run of [reminded.run!, bought.run!])
      await runs.put({ run, dispatched: {}, lastEffects: [] }, undefined);

    // Act
    const answer = await api(anApiEvent('GET', `/v1/customers/${customerId}/timeline?types=journey`));

    // Assess
    expect(answer.statusCode).toBe(200);
    const events = JSON.parse(answer.body ?? '{}').entries.map((entry: { event: string }) => entry.event);
    expect(events).toEqual(['waiting', 'step', 'step', 'exited', 'waiting', 'entered', 'waiting', 'entered']);
    expectDescribed('GET /v1/customers/{customerId}/timeline', answer);
  });
});
