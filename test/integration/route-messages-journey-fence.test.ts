/**
 * The journey dispatch fence through the router's real handler on DynamoDB Local and fauxqs: run
 * items written in the engine's layout, journey messages routed, and the race between the fence and
 * a goal exit written the way the engine writes (a Put conditioned on the version it read).
 */
import type { SQSEvent } from 'aws-lambda';
import { DynamoDbJourneyDispatchFence } from '../../functions/adapters/dynamodb/journey-dispatch-fence';
import { messagesDocuments } from '../../functions/adapters/dynamodb/messages-table';
import type { Customer, MessageRequest } from '../../functions/contract';
import { messageIdFor } from '../../functions/domain/message-id';
import {
  journeySendOf,
  UNRECORDED_SEND_GRACE_MS,
} from '../../functions/domain/routing/journey-dispatch-fence';
import type { LocalResources } from '../../local/emulators';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer, anSqsEvent, consent } from '../helpers/factories';
import {
  aJourneyMessage,
  aRunItem,
  aTestRun,
  exitOnGoal,
  putRunItem,
  type RunItemState,
  runItemOf,
  type TestRun,
} from '../helpers/journey-fence';
import { routerUnderTest } from '../helpers/router';
import { entriesOf } from '../helpers/timeline';

// 14:00 in Paris: outside quiet hours.
const AFTERNOON = new Date('2026-11-23T13:00:00Z');

/** The same event, its records first received by SQS at `at`. */
function firstReceivedAt(event: SQSEvent, at: Date): SQSEvent {
  return {
    Records: event.Records.map((record) => ({
      ...record,
      attributes: { ...record.attributes, ApproximateFirstReceiveTimestamp: String(at.getTime()) },
    })),
  };
}

/** Races per test: each one a fresh run whose reminder and goal exit are written at once. */
const RACES = 60;

/** Runs `act` after `ms`: the races vary it per iteration, so that they take both orders. */
async function later<T>(ms: number, act: () => Promise<T>): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return act();
}

describe('Function: route-messages handler with the journey dispatch fence', () => {
  const clients = testClients();
  const documents = messagesDocuments(clients.dynamodb);
  let resources: LocalResources;
  afterAll(() => clients.destroy());
  beforeEach(async () => {
    resources = await isolatedResources();
  });

  const router = (now: () => Date = () => AFTERNOON) => routerUnderTest(resources, clients, { now });

  /** A customer reached by SMS, opted in to marketing there. */
  const aShopper = (): Customer =>
    aCustomer({ preferences: { channels: ['sms'] }, consent: { marketing: { sms: consent('opted_in') } } });

  /** A customer, a run of hers in the given state, and the run's reminder. */
  const aScene = async (
    store: ReturnType<typeof router>['store'],
    state: (requestId: string) => RunItemState,
  ): Promise<{ customer: Customer; run: TestRun; reminder: MessageRequest; messageId: string }> => {
    const customer = aShopper();
    await store.put(customer);
    const run = aTestRun(customer.customerId);
    const reminder = aJourneyMessage(run, 'push-reminder', { routing: { channels: ['sms'] } });
    await putRunItem(documents, resources.tables.messages, aRunItem(run, state(reminder.requestId)));
    return { customer, run, reminder, messageId: messageIdFor(customer.customerId, reminder.requestId) };
  };

  it('dispatches the reminder of an active run that recorded it, marks it dispatched and raises the version', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const { run, reminder } = await aScene(store, (id) => ({ version: 3, sendIds: [id] }));

    // Act
    const response = await handler(anSqsEvent([reminder]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await channelMessages('sms')).toMatchObject([{ requestId: reminder.requestId }]);
    const item = await runItemOf(documents, resources.tables.messages, run);
    expect(item).toMatchObject({
      version: 4,
      status: 'active',
      dispatched: { [reminder.requestId]: AFTERNOON.toISOString() },
    });
  });

  it('cancels the reminder of a run that exited on a goal: never dispatched, cancelled on the timeline', async () => {
    // Prepare
    const { handler, store, timeline, channelMessages } = router();
    const { customer, run, reminder, messageId } = await aScene(store, (id) => ({
      status: 'exited',
      exitReason: 'goal',
      version: 5,
      sendIds: [id],
    }));

    // Act
    const response = await handler(anSqsEvent([reminder]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await channelMessages('sms')).toEqual([]);
    const entries = await entriesOf(timeline, customer.customerId, 'message');
    expect(entries.find((entry) => entry.messageId === messageId)).toMatchObject({
      status: 'cancelled',
      routerStatus: 'cancelled',
      reasons: ['journey exited: goal'],
      attempts: [],
    });
    expect(await runItemOf(documents, resources.tables.messages, run)).toMatchObject({
      version: 5,
      dispatched: {},
    });
  });

  it('dispatches the thank-you of a run that completed in the same advance that asked for it', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const { run, reminder } = await aScene(store, (id) => ({
      status: 'exited',
      exitReason: 'completed',
      version: 2,
      sendIds: [id],
    }));

    // Act
    await handler(anSqsEvent([reminder]));

    // Assess
    expect(await channelMessages('sms')).toMatchObject([{ requestId: reminder.requestId }]);
    expect(await runItemOf(documents, resources.tables.messages, run)).toMatchObject({
      version: 3,
      dispatched: { [reminder.requestId]: AFTERNOON.toISOString() },
    });
  });

  it('retries a reminder the run has not recorded yet, then cancels it once it waited too long', async () => {
    // Prepare
    let now = AFTERNOON;
    const { handler, store, ledger, channelMessages } = router(() => now);
    const { customer, reminder, messageId } = await aScene(store, () => ({ sendIds: [] }));
    const event = firstReceivedAt(anSqsEvent([reminder]), AFTERNOON);

    // Act
    const first = await handler(event);
    now = new Date(AFTERNOON.getTime() + UNRECORDED_SEND_GRACE_MS + 60_000);
    const late = await handler(event);

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(late.batchItemFailures).toEqual([]);
    expect(await channelMessages('sms')).toEqual([]);
    expect(await ledger.getMessage(customer.customerId, messageId)).toMatchObject({
      status: 'cancelled',
      reasons: ['journey never recorded the send'],
    });
  });

  it('dispatches the reminder once the run records it within the grace', async () => {
    // Prepare
    const { handler, store, channelMessages } = router();
    const { run, reminder } = await aScene(store, () => ({ sendIds: [] }));
    const event = anSqsEvent([reminder]);
    await handler(event);
    await putRunItem(
      documents,
      resources.tables.messages,
      aRunItem(run, { version: 4, sendIds: [reminder.requestId] }),
    );

    // Act
    const retry = await handler(event);

    // Assess
    expect(retry.batchItemFailures).toEqual([]);
    expect(await channelMessages('sms')).toMatchObject([{ requestId: reminder.requestId }]);
  });

  it('cancels a reminder whose run item was replaced by a newer run, or is gone', async () => {
    // Prepare
    const { handler, store, ledger } = router();
    const replaced = await aScene(store, (id) => ({ sendIds: [id] }));
    await putRunItem(
      documents,
      resources.tables.messages,
      aRunItem({ ...replaced.run, runId: 'jr_newer' }, { sendIds: [] }),
    );
    const gone = aJourneyMessage(aTestRun(replaced.customer.customerId), 'push-reminder');

    // Act
    await handler(anSqsEvent([replaced.reminder, gone]));

    // Assess
    expect(await ledger.getMessage(replaced.customer.customerId, replaced.messageId)).toMatchObject({
      status: 'cancelled',
      reasons: ['journey run replaced by a newer run'],
    });
    expect(
      await ledger.getMessage(gone.customerId, messageIdFor(gone.customerId, gone.requestId)),
    ).toMatchObject({ status: 'cancelled', reasons: ['journey run not found'] });
  });

  it('does not cancel a reminder it already let through when its record comes back after the goal exit', async () => {
    // Prepare
    const { handler, store, ledger, channelMessages } = router();
    const { customer, run, reminder, messageId } = await aScene(store, (id) => ({ sendIds: [id] }));
    const event = anSqsEvent([reminder]);
    await handler(event);
    await exitOnGoal(documents, resources.tables.messages, run);

    // Act: the same record again (its first delivery was not acknowledged), and a second publish.
    const redelivered = await handler(event);
    const republished = await handler(anSqsEvent([reminder]));

    // Assess: sent once, redispatched for the redelivered record (the sender's lease keeps it to one send).
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(republished.batchItemFailures).toEqual([]);
    expect(await ledger.getMessage(customer.customerId, messageId)).toMatchObject({ status: 'queued' });
    expect((await channelMessages('sms')).map((message) => message.requestId)).toEqual([
      reminder.requestId,
      reminder.requestId,
    ]);
  });

  it("cancels a reminder's fallback once the run exited on a goal", async () => {
    // Prepare
    const { handler, store, ledger, channelMessages } = router();
    const { customer, run, reminder, messageId } = await aScene(store, (id) => ({ sendIds: [id] }));
    const twoChannels = { ...reminder, routing: { channels: ['sms', 'email'] } } as MessageRequest;
    await store.put({
      ...customer,
      consent: { marketing: { sms: consent('opted_in'), email: consent('opted_in') } },
    });
    await handler(anSqsEvent([twoChannels]));
    await exitOnGoal(documents, resources.tables.messages, run);
    const fallback = {
      kind: 'fallback',
      schemaVersion: 1,
      messageId,
      customerId: customer.customerId,
      triedChannels: ['sms'],
      reason: 'sms: undelivered',
      requestedAt: AFTERNOON.toISOString(),
    };

    // Act
    const response = await handler(anSqsEvent([fallback]));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await channelMessages('email')).toEqual([]);
    expect(await ledger.getMessage(customer.customerId, messageId)).toMatchObject({
      status: 'cancelled',
      attempts: [{ channel: 'sms', attempt: 1 }],
    });
  });

  it('never lets a reminder out after a goal exit written concurrently with the fence (adapter race)', async () => {
    // Prepare
    const fence = new DynamoDbJourneyDispatchFence({
      client: clients.dynamodb,
      tableName: resources.tables.messages,
    });
    const verdicts = { exitFirst: 0, fenceFirst: 0 };
    const violations: string[] = [];

    // Act: many runs, each one fence write and one engine exit racing, started a few ms apart.
    for (let iteration = 0; iteration < RACES; iteration += 1) {
      const run = aTestRun(`racer-${iteration}`);
      const send = journeySendOf(aJourneyMessage(run))!;
      await putRunItem(documents, resources.tables.messages, aRunItem(run, { sendIds: [send.requestId] }));
      const [write, exit] = await Promise.all([
        later((iteration * 7) % 25, () => fence.markDispatched(send, new Date().toISOString())),
        exitOnGoal(documents, resources.tables.messages, run),
      ]);
      const exitFirst = (exit.replaced.dispatched as Record<string, string>)[send.requestId] === undefined;
      if (exitFirst) verdicts.exitFirst += 1;
      else verdicts.fenceFirst += 1;
      if (exitFirst && write.written) violations.push(`${run.runId}: dispatched after the exit`);
      if (!exitFirst && !write.written) violations.push(`${run.runId}: exit saw a dispatch that was refused`);
      const final = await runItemOf(documents, resources.tables.messages, run);
      if (final?.status !== 'exited') violations.push(`${run.runId}: the exit was lost`);
    }

    // Assess: both orders happened (the race was run), and neither broke the rule.
    expect(violations).toEqual([]);
    expect(verdicts.exitFirst).toBeGreaterThan(0);
    expect(verdicts.fenceFirst).toBeGreaterThan(0);
  });

  it('never dispatches a reminder through the router after a goal exit written concurrently (router race)', async () => {
    // Prepare
    const { handler, store, ledger, channelMessages } = router(() => new Date());
    const verdicts = { exitFirst: 0, fenceFirst: 0 };
    const violations: string[] = [];

    // Act
    for (let iteration = 0; iteration < RACES / 2; iteration += 1) {
      const { customer, run, reminder, messageId } = await aScene(store, (id) => ({ sendIds: [id] }));
      // One side or the other starts up to 6 ms late, so that the writes land in both orders.
      const offset = (iteration % 13) - 6;
      const [response, exit] = await Promise.all([
        later(Math.max(0, offset), () => handler(anSqsEvent([reminder]))),
        later(Math.max(0, -offset), () => exitOnGoal(documents, resources.tables.messages, run)),
      ]);
      const exitFirst =
        (exit.replaced.dispatched as Record<string, string>)[reminder.requestId] === undefined;
      const dispatched = (await channelMessages('sms')).some((sent) => sent.requestId === reminder.requestId);
      const message = await ledger.getMessage(customer.customerId, messageId);
      if (exitFirst) verdicts.exitFirst += 1;
      else verdicts.fenceFirst += 1;
      if (response.batchItemFailures.length > 0) violations.push(`${run.runId}: the record failed`);
      if (exitFirst && dispatched) violations.push(`${run.runId}: dispatched after the goal exit`);
      if (exitFirst && message?.status !== 'cancelled') violations.push(`${run.runId}: not cancelled`);
      if (!exitFirst && !dispatched) violations.push(`${run.runId}: let through, never dispatched`);
    }

    // Assess
    expect(violations).toEqual([]);
    expect(verdicts.exitFirst).toBeGreaterThan(0);
    expect(verdicts.fenceFirst).toBeGreaterThan(0);
  });
});
