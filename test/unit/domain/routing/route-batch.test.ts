import { routeBatch } from '../../../../functions/domain/routing';
import { aCustomer, aRequest } from '../../../helpers/factories';
import { anOutboundRecord, inMemoryRouterPorts } from '../../../helpers/in-memory-routing-ports';

describe('Function: routeBatch', () => {
  it('routes every record of a batch with one customer read and one dispatch', async () => {
    // Prepare
    const [ada, bob] = [
      aCustomer({ preferences: { channels: ['sms'] } }),
      aCustomer({ preferences: { channels: ['email'] } }),
    ];
    const ports = inMemoryRouterPorts([ada, bob]);
    const read = jest.spyOn(ports.customers, 'getRoutingProfiles');
    const records = [anOutboundRecord(aRequest(ada.customerId)), anOutboundRecord(aRequest(bob.customerId))];
    // Act
    const results = await routeBatch(records, ports);
    // Assess
    expect(results.map((r) => [r.outcome, r.channels])).toEqual([
      ['routed', ['sms']],
      ['routed', ['email']],
    ]);
    expect(read).toHaveBeenCalledTimes(1);
    expect(ports.dispatcher.messages.map((m) => [m.channel, m.customerId])).toEqual([
      ['sms', ada.customerId],
      ['email', bob.customerId],
    ]);
  });

  it('treats a second copy of a request in the same batch as a duplicate', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms'] } });
    const ports = inMemoryRouterPorts([customer]);
    const request = aRequest(customer.customerId);
    // Act
    const results = await routeBatch([anOutboundRecord(request), anOutboundRecord(request)], ports);
    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['routed', 'duplicate']);
    expect(ports.dispatcher.dispatched).toHaveLength(1);
  });

  it('records an invalid record rejected without retrying it', async () => {
    // Prepare
    const ports = inMemoryRouterPorts();
    // Act
    const [result] = await routeBatch([anOutboundRecord('{oops')], ports);
    // Assess
    expect(result).toMatchObject({ outcome: 'rejected' });
    expect(result?.error).toBeUndefined();
    expect([...ports.ledger.messages.values()][0]).toMatchObject({ status: 'rejected', rawBody: '{oops' });
  });

  it('fails the requests for retry when the customers cannot be read, and still rejects invalid records', async () => {
    // Prepare
    const customer = aCustomer();
    const ports = inMemoryRouterPorts([customer]);
    ports.customers.failNextRead = new Error('throttled');
    // Act
    const results = await routeBatch(
      [anOutboundRecord(aRequest(customer.customerId)), anOutboundRecord('{oops')],
      ports,
    );
    // Assess
    expect(results.map((r) => [r.outcome, r.error?.message])).toEqual([
      ['failed', 'throttled'],
      ['rejected', undefined],
    ]);
    expect(ports.dispatcher.dispatched).toHaveLength(0);
  });

  it('fails a record whose channel message was not queued, and queues it when SQS redelivers the record', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms'] } });
    const ports = inMemoryRouterPorts([customer]);
    const record = anOutboundRecord(aRequest(customer.customerId));
    ports.dispatcher.failing.set(`${record.id}:sms`, 'throttled');
    // Act
    const [first] = await routeBatch([record], ports);
    ports.dispatcher.failing.clear();
    const [redelivered] = await routeBatch([record], ports);
    // Assess
    expect(first).toMatchObject({ outcome: 'failed', channels: [] });
    expect(first?.error?.message).toBe('Could not queue sms: throttled');
    expect(redelivered).toMatchObject({ outcome: 'routed', channels: ['sms'] });
    expect(ports.dispatcher.messages.map((m) => [m.channel, m.attempt])).toEqual([['sms', 1]]);
  });

  it('counts each outcome and each planned channel', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms'] } });
    const counted: string[] = [];
    const ports = {
      ...inMemoryRouterPorts([customer]),
      metrics: { count: (name: string) => counted.push(name) },
    };
    // Act
    await routeBatch([anOutboundRecord(aRequest(customer.customerId)), anOutboundRecord('{oops')], ports);
    // Assess
    expect(counted.sort()).toEqual(['planned_sms', 'rejected', 'routed']);
  });

  it('sends nothing and keeps nothing when the customer is erased between its read and the router’s writes', async () => {
    // Prepare: the erase runs after the batch read found no tombstone (tombstone, sweep, profile).
    const [erased, kept] = [aCustomer({ preferences: { channels: ['sms'] } }), aCustomer()];
    const ports = inMemoryRouterPorts([erased, kept]);
    ports.customers.beforeTombstoneRead = () => {
      ports.customers.tombstones.add(erased.customerId);
      ports.customers.stored.delete(erased.customerId);
    };

    // Act
    const results = await routeBatch(
      [anOutboundRecord(aRequest(erased.customerId)), anOutboundRecord(aRequest(kept.customerId))],
      ports,
    );

    // Assess
    expect(results.map((result) => result.outcome)).toEqual(['erased', 'routed']);
    expect(ports.dispatcher.messages.map((message) => message.customerId)).toEqual([kept.customerId]);
    expect([...ports.ledger.messages.values()].map((message) => message.customerId)).toEqual([
      kept.customerId,
    ]);
  });

  it('routes for a customer made again after an erase whose tombstone was already there at the read', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms'] } });
    const ports = inMemoryRouterPorts([customer]);
    ports.customers.tombstones.add(customer.customerId);

    // Act
    const [result] = await routeBatch([anOutboundRecord(aRequest(customer.customerId))], ports);

    // Assess
    expect(result?.outcome).toBe('routed');
  });

  it('fails the records for retry, queueing nothing, when the tombstones cannot be read again', async () => {
    // Prepare
    const customer = aCustomer({ preferences: { channels: ['sms'] } });
    const ports = inMemoryRouterPorts([customer]);
    ports.customers.beforeTombstoneRead = () => {
      throw new Error('throttled');
    };

    // Act
    const [result] = await routeBatch([anOutboundRecord(aRequest(customer.customerId))], ports);

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', error: new Error('throttled') });
    expect(ports.dispatcher.dispatched).toHaveLength(0);
  });
});
