/**
 * The customer and message API through its real handler on DynamoDB Local and fauxqs, and the
 * typed client against that handler.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { SwitchboardApiClient, SwitchboardApiError } from '@switchboard/client';
import { ContractValidationError } from '../../functions/contract';
import { messageIdFor } from '../../functions/domain/message-id';
import type { createApiHandler } from '../../functions/handlers/api';
import type { LocalResources } from '../../local/emulators';
import { apiUnderTest } from '../helpers/api-handler';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, aMobileNumber, anSqsEvent, aRequest } from '../helpers/factories';
import { anApiEvent, fetchThrough } from '../helpers/http-api';
import { routerUnderTest } from '../helpers/router';

describe('Function: api handler', () => {
  const clients = testClients();
  let resources: LocalResources;
  let api: ReturnType<typeof createApiHandler>;
  let client: SwitchboardApiClient;
  afterAll(() => clients.destroy());
  beforeAll(async () => {
    resources = await isolatedResources();
    api = apiUnderTest(resources, clients);
    client = new SwitchboardApiClient({ baseUrl: 'http://127.0.0.1/', fetch: fetchThrough(api) });
  });

  it('creates, reads and replaces a customer', async () => {
    // Prepare
    const customer = aCustomer();

    // Act
    const created = await api(anApiEvent('PUT', `/v1/customers/${customer.customerId}`, customer));
    const read = await api(anApiEvent('GET', `/v1/customers/${customer.customerId}`));
    const replaced = await api(
      anApiEvent('PUT', `/v1/customers/${customer.customerId}`, { ...customer, locale: 'fr-FR' }),
    );

    // Assess
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(read.body ?? '{}')).toMatchObject({ ...customer, version: 1 });
    expect(replaced.statusCode).toBe(200);
    expect(JSON.parse(replaced.body ?? '{}')).toMatchObject({ locale: 'fr-FR', version: 2 });
  });

  it.each([
    ['a bad phone number', { addresses: { sms: '0612345678' } }, 'addresses.sms'],
    ['an unknown field', { nickname: 'Ada' }, 'nickname'],
    ['a bad time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
  ])('answers 400 with field-level issues for %s', async (_case, body, field) => {
    // Act
    const response = await api(anApiEvent('PUT', '/v1/customers/c-400', body));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({
      error: 'invalid_request',
      issues: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('answers 409 when an address belongs to another customer', async () => {
    // Prepare
    const first = aCustomer();
    await api(anApiEvent('PUT', `/v1/customers/${first.customerId}`, first));
    const second = aCustomer({ addresses: { email: first.addresses.email } });

    // Act
    const response = await api(anApiEvent('PUT', `/v1/customers/${second.customerId}`, second));

    // Assess
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ error: 'address_in_use' });
  });

  it('sets consent and answers 404 for an unknown customer', async () => {
    // Prepare
    const customer = aCustomer();
    await api(anApiEvent('PUT', `/v1/customers/${customer.customerId}`, customer));
    const change = { category: 'marketing', channel: 'email', status: 'opted_in' };

    // Act
    const set = await api(anApiEvent('PUT', `/v1/customers/${customer.customerId}/consent`, change));
    const unknown = await api(anApiEvent('PUT', '/v1/customers/c-nobody/consent', change));

    // Assess
    expect(set.statusCode).toBe(200);
    expect(JSON.parse(set.body ?? '{}').consent.marketing.email).toMatchObject({
      status: 'opted_in',
      source: 'api',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('accepts a valid message request with 202 and its message id, and puts it on the outbound queue', async () => {
    // Prepare
    const request = aRequest('c-api-message');

    // Act
    const response = await api(anApiEvent('POST', '/v1/messages', request));

    // Assess
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '{}')).toEqual({
      messageId: messageIdFor('c-api-message', request.requestId),
      requestId: request.requestId,
    });
    const queued = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.outbound, MaxNumberOfMessages: 10 }),
    );
    expect(queued.Messages?.map((message) => JSON.parse(message.Body ?? '{}').requestId)).toContain(
      request.requestId,
    );
  });

  it('answers 400 with the contract issues for an invalid message request', async () => {
    // Act
    const response = await api(
      anApiEvent('POST', '/v1/messages', {
        schemaVersion: 1,
        requestId: 'r',
        customerId: 'c',
        category: 'marketing',
      }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}').issues).toEqual([
      { field: 'template', message: 'a request needs a template or content' },
    ]);
  });

  it.each([
    ['POST', '/v1/customers/c-1', 405],
    ['GET', '/v1/nothing', 404],
    ['GET', '/v1/customers/bad%20id', 400],
  ])('answers %s %s with %i', async (method, path, status) => {
    // Act
    const response = await api(anApiEvent(method, path));

    // Assess
    expect(response.statusCode).toBe(status);
  });

  it('erases a customer with the timeline and keeps the opt-out through the typed client', async () => {
    // Prepare
    const phone = aMobileNumber();
    const customer = aCustomer({ addresses: { sms: phone } });
    await client.putCustomer(customer);
    await client.setConsent(customer.customerId, {
      category: 'marketing',
      channel: 'sms',
      status: 'opted_out',
    });
    const router = routerUnderTest(resources, clients);
    await router.handler(anSqsEvent([aRequest(customer.customerId)]));
    expect((await client.timeline(customer.customerId, { types: ['message'] })).entries).toHaveLength(1);

    // Act
    await client.deleteCustomer(customer.customerId);

    // Assess
    expect(await client.getCustomer(customer.customerId)).toBeUndefined();
    expect((await client.timeline(customer.customerId)).entries).toEqual([]);
    const again = await client.putCustomer(
      aCustomer({ customerId: customer.customerId, addresses: { sms: phone } }),
    );
    expect(again.consent.marketing?.sms).toMatchObject({ status: 'opted_out', source: 'suppression' });
  });

  it('sends a message and reads it on the timeline through the typed client', async () => {
    // Prepare
    const customer = aCustomer();
    await client.putCustomer(customer);
    const request = aRequest(customer.customerId);

    // Act
    const accepted = await client.sendMessage(request);
    const router = routerUnderTest(resources, clients);
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resources.queues.outbound, MaxNumberOfMessages: 10 }),
    );
    const mine = (received.Messages ?? []).filter((message) => message.Body?.includes(request.requestId));
    await router.handler(anSqsEvent(mine.map((message) => message.Body ?? '')));
    const page = await client.timeline(customer.customerId, { limit: 5 });

    // Assess
    expect(page.entries.map((entry) => [entry.type, entry.type === 'message' && entry.messageId])).toEqual([
      ['message', accepted.messageId],
    ]);
    expect(page.entries[0]).toMatchObject({ status: 'queued', routerStatus: 'queued' });
  });

  it('refuses an invalid request in the client before sending, and surfaces API errors', async () => {
    // Act
    const invalid = client.sendMessage({
      schemaVersion: 1,
      requestId: 'r',
      customerId: 'c',
      category: 'marketing',
    });
    const missing = client.setConsent('c-nobody', {
      category: 'marketing',
      channel: 'sms',
      status: 'opted_in',
    });

    // Assess
    await expect(invalid).rejects.toBeInstanceOf(ContractValidationError);
    await expect(missing).rejects.toMatchObject({ status: 404, body: { error: 'not_found' } });
    await expect(missing).rejects.toBeInstanceOf(SwitchboardApiError);
  });

  it('dispatches on the routeKey and path parameters API Gateway sets, whatever the raw path', async () => {
    // Prepare
    const customer = aCustomer();
    await api(anApiEvent('PUT', `/v1/customers/${customer.customerId}`, customer));
    const event = anApiEvent('GET', `/v1/customers/${customer.customerId}`);

    // Act
    const response = await api({ ...event, rawPath: `/prod/v1/customers/${customer.customerId}` });

    // Assess
    expect(event.routeKey).toBe('GET /v1/customers/{customerId}');
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ customerId: customer.customerId });
  });

  it('filters the timeline by kind, channel and time through the typed client', async () => {
    // Prepare
    const customer = aCustomer();
    await client.putCustomer(customer);
    const router = routerUnderTest(resources, clients);
    await router.handler(anSqsEvent([aRequest(customer.customerId)]));
    await client.setConsent(customer.customerId, {
      category: 'marketing',
      channel: 'email',
      status: 'opted_in',
      at: '2026-11-23T10:00:00Z',
    });

    // Act
    const consentOnly = await client.timeline(customer.customerId, { types: ['consent'] });
    const onWeb = await client.timeline(customer.customerId, { channels: ['web'] });
    const sinceNow = await client.timeline(customer.customerId, { since: '2099-01-01T00:00:00Z' });

    // Assess
    expect(consentOnly.entries).toEqual([
      {
        type: 'consent',
        at: '2026-11-23T10:00:00.000Z',
        category: 'marketing',
        channel: 'email',
        status: 'opted_in',
        source: 'api',
      },
    ]);
    expect(onWeb).toEqual({ entries: [] });
    expect(sinceNow).toEqual({ entries: [] });
  });

  it('answers 400 naming each bad filter of the timeline, and reads nothing', async () => {
    // Act
    const response = await api(
      anApiEvent('GET', '/v1/customers/anyone/timeline?types=message,journeys&channels=fax&since=last-week'),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({
      error: 'invalid_request',
      issues: [
        { field: 'types', message: expect.stringContaining('journeys') },
        { field: 'channels', message: expect.stringContaining('fax') },
        { field: 'since', message: expect.stringContaining('ISO 8601') },
      ],
    });
  });

  describe('timeline cursors', () => {
    let mine: string;
    let theirs: string;
    let myCursor: string;
    let theirCursor: string;
    beforeAll(async () => {
      mine = aCustomer().customerId;
      theirs = aCustomer().customerId;
      const router = routerUnderTest(resources, clients);
      await router.handler(anSqsEvent([aRequest(mine), aRequest(mine), aRequest(theirs), aRequest(theirs)]));
      myCursor = (await client.timeline(mine, { limit: 1 })).nextCursor ?? '';
      theirCursor = (await client.timeline(theirs, { limit: 1 })).nextCursor ?? '';
    });

    it('pages on with a cursor the API returned for the same customer', async () => {
      // Act
      const response = await api(
        anApiEvent('GET', `/v1/customers/${mine}/timeline?limit=1&cursor=${myCursor}`),
      );

      // Assess
      expect(myCursor).not.toBe('');
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body ?? '{}').entries).toHaveLength(1);
    });

    it.each([
      ['garbage', () => 'not-a-cursor!'],
      ['base64 of something that is not JSON', () => Buffer.from('hello, not JSON').toString('base64url')],
      ['base64 of JSON that is not a key', () => Buffer.from('{"a":1}').toString('base64url')],
      ['a cursor issued for another customer', () => theirCursor],
    ])('answers 400 naming the cursor for %s', async (_case, cursorOf) => {
      // Prepare
      const cursor = encodeURIComponent(cursorOf());

      // Act
      const response = await api(anApiEvent('GET', `/v1/customers/${mine}/timeline?cursor=${cursor}`));

      // Assess
      expect(theirCursor).not.toBe('');
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body ?? '{}')).toMatchObject({
        error: 'invalid_request',
        issues: [{ field: 'cursor', message: expect.stringContaining('not a cursor') }],
      });
    });
  });
});
