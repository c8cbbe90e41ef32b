import {
  actionsOn,
  logicalId,
  refersTo,
  type Statement,
  type SynthesizedSwitchboard,
  statementsOfRole,
  synthSwitchboard,
} from '../helpers/cdk-app';

const READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const READ_WRITE = [
  ...READ,
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
].sort();
const UPDATE = [
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
];
const SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
const CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];
const SEND_AND_CONSUME = [...new Set([...SEND, ...CONSUME])].sort();
const READ_SECRET = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const PUBLISH = ['sns:Publish'];
/** The public webhooks' table calls, written out from their adapters (see the stack's WEBHOOK_TABLE_GRANTS). */
const WEBHOOK_MESSAGES = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const WEBHOOK_MESSAGES_INDEX = ['dynamodb:Query'];
const WEBHOOK_CUSTOMERS = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];
const READ_STREAM = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
const USE_TOPIC_KEY = ['kms:Decrypt', 'kms:GenerateDataKey'];

/** The stateful resources a function may be granted, by name (`messagesIndex`: the timeline index). */
type ResourceName =
  | 'customers'
  | 'messages'
  | 'messagesIndex'
  | 'outbound'
  | 'sms'
  | 'whatsapp'
  | 'email'
  | 'push'
  | 'receipts'
  | 'touchpoints'
  | 'journeyTimers'
  | 'outboundDlq'
  | 'smsDlq'
  | 'whatsappDlq'
  | 'emailDlq'
  | 'pushDlq'
  | 'receiptsDlq'
  | 'touchpointsDlq'
  | 'journeyTimersDlq'
  | 'eventsTopic'
  | 'eventsTopicKey'
  | 'ledgerStreamFailures'
  | 'journeyEventsFailures'
  | 'twilioSecret'
  | 'sendgridSecret'
  | 'sendgridWebhookSecret'
  | 'fcmSecret'
  | 'vapidSecret'
  | 'addressPepper';

/** What each function may do, written out independently of the stack code. Anything absent: nothing. */
const EXPECTED_ACCESS: Record<string, Partial<Record<ResourceName, string[]>>> = {
  router: {
    customers: READ,
    messages: READ_WRITE,
    messagesIndex: READ_WRITE,
    outbound: SEND_AND_CONSUME,
    sms: SEND,
    whatsapp: SEND,
    email: SEND,
    push: SEND,
  },
  sendSms: {
    messages: READ_WRITE,
    messagesIndex: READ_WRITE,
    customers: UPDATE,
    outbound: SEND,
    sms: CONSUME,
    receipts: SEND,
    twilioSecret: READ_SECRET,
    addressPepper: READ_SECRET,
  },
  sendWhatsapp: {
    messages: READ_WRITE,
    messagesIndex: READ_WRITE,
    customers: UPDATE,
    outbound: SEND,
    whatsapp: CONSUME,
    receipts: SEND,
    twilioSecret: READ_SECRET,
    addressPepper: READ_SECRET,
  },
  sendEmail: {
    messages: READ_WRITE,
    messagesIndex: READ_WRITE,
    customers: UPDATE,
    outbound: SEND,
    email: CONSUME,
    receipts: SEND,
    sendgridSecret: READ_SECRET,
    addressPepper: READ_SECRET,
  },
  sendPush: {
    messages: READ_WRITE,
    messagesIndex: READ_WRITE,
    customers: UPDATE,
    outbound: SEND,
    push: CONSUME,
    receipts: SEND,
    fcmSecret: READ_SECRET,
    vapidSecret: READ_SECRET,
    addressPepper: READ_SECRET,
  },
  api: {
    customers: READ_WRITE,
    messages: READ_WRITE,
    messagesIndex: READ_WRITE,
    outbound: SEND,
    addressPepper: READ_SECRET,
  },
  // Publish nothing and send no fallback: their writes are the outbox (the ledger's streams).
  // No Scan, Delete, BatchWrite or BatchGet; no Put on customers; Query on the timeline index only.
  twilioWebhook: {
    messages: WEBHOOK_MESSAGES,
    messagesIndex: WEBHOOK_MESSAGES_INDEX,
    customers: WEBHOOK_CUSTOMERS,
    twilioSecret: READ_SECRET,
    addressPepper: READ_SECRET,
  },
  // Its own secret (verification key, Inbound Parse token), never the API key's.
  sendgridWebhook: {
    messages: WEBHOOK_MESSAGES,
    messagesIndex: WEBHOOK_MESSAGES_INDEX,
    customers: WEBHOOK_CUSTOMERS,
    sendgridWebhookSecret: READ_SECRET,
    addressPepper: READ_SECRET,
  },
  // Re-delays a check not yet due on its own queue; claims the fallback, which the stream sends.
  receiptTimeout: {
    messages: READ_WRITE,
    messagesIndex: READ_WRITE,
    receipts: SEND_AND_CONSUME,
  },
  // Touchpoints and the anonymous-profile stitch on messages; identify traits on customers' attributes.
  recordTouchpoints: {
    messages: [
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ],
    customers: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    touchpoints: CONSUME,
  },
  // The public ingest: what the touchpoints consumer has, without its queue; on customers only the
  // source read and identify traits (no Put or Delete: it can never create or revoke a source).
  publicIngest: {
    messages: [
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ],
    customers: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  },
  // Short links: the link (Get, Update) and the click item (Put) with the attempt's check, `clicked`.
  clickRedirect: {
    messages: ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  // Reads both tables' streams, publishes events, sends owed fallbacks; counts engagement on
  // customers' items and population shards (Update; Get to move a sum to a new scale); attributes
  // conversions (a customer's messages on the index, their attempts and claims by key, one
  // transaction of Puts and Updates).
  ledgerStream: {
    customers: [...READ_STREAM, 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
    messages: [
      'dynamodb:BatchGetItem',
      ...READ_STREAM,
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ],
    messagesIndex: ['dynamodb:Query'],
    outbound: SEND,
    eventsTopic: PUBLISH,
    eventsTopicKey: USE_TOPIC_KEY,
    ledgerStreamFailures: SEND,
  },
  // The journey engine on the ledger's changes: run items read by key and written at the version
  // read, deployed documents stored and read, stats counters ADDed; a customer's runs of a journey
  // queried on the table (a match with `key: false`), never the index; the profile read. Messages
  // to the outbound queue, timers to theirs. The customers stream is unread (no consent journey).
  journeyEvents: {
    customers: ['dynamodb:GetItem'],
    messages: [
      ...READ_STREAM,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ],
    outbound: SEND,
    journeyTimers: SEND,
    journeyEventsFailures: SEND,
  },
  // A fired timer wakes one run by key (no Query); an early one goes back on its queue.
  journeyTimers: {
    customers: ['dynamodb:GetItem'],
    messages: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    outbound: SEND,
    journeyTimers: SEND_AND_CONSUME,
  },
};

describe('IAM: least privilege per function', () => {
  let sb: SynthesizedSwitchboard;
  let resourceIds: Record<Exclude<ResourceName, 'messagesIndex'>, string>;
  /** Actions granted on a named resource; the messages table and its index told apart. */
  let grantedOn: (statements: Statement[], resource: ResourceName) => string[];
  let statementsOf: (name: string) => Statement[];

  beforeAll(() => {
    sb = synthSwitchboard({ stage: 'dev' });
    const data = sb.stateful;
    const id = (c: Parameters<typeof logicalId>[1]) => logicalId(data, c);
    resourceIds = {
      customers: id(data.customersTable),
      messages: id(data.messagesTable),
      outbound: id(data.queues.outbound.queue),
      sms: id(data.queues.sms.queue),
      whatsapp: id(data.queues.whatsapp.queue),
      email: id(data.queues.email.queue),
      push: id(data.queues.push.queue),
      receipts: id(data.queues.receipts.queue),
      touchpoints: id(data.queues.touchpoints.queue),
      journeyTimers: id(data.queues.journeyTimers.queue),
      outboundDlq: id(data.queues.outbound.deadLetterQueue),
      smsDlq: id(data.queues.sms.deadLetterQueue),
      whatsappDlq: id(data.queues.whatsapp.deadLetterQueue),
      emailDlq: id(data.queues.email.deadLetterQueue),
      pushDlq: id(data.queues.push.deadLetterQueue),
      receiptsDlq: id(data.queues.receipts.deadLetterQueue),
      touchpointsDlq: id(data.queues.touchpoints.deadLetterQueue),
      journeyTimersDlq: id(data.queues.journeyTimers.deadLetterQueue),
      eventsTopic: id(data.eventsTopic),
      eventsTopicKey: id(data.eventsTopicKey),
      ledgerStreamFailures: id(data.ledgerStreamFailures),
      journeyEventsFailures: id(data.journeyEventsFailures),
      twilioSecret: id(data.secrets.twilio),
      sendgridSecret: id(data.secrets.sendgrid),
      sendgridWebhookSecret: id(data.secrets.sendgridWebhook),
      fcmSecret: id(data.secrets.fcm),
      vapidSecret: id(data.secrets.vapid),
      addressPepper: id(data.addressPepper),
    };
    statementsOf = (name) =>
      statementsOfRole(sb.services, logicalId(sb.stateless, sb.stateless.functions[name]!.role));
    grantedOn = (statements, resource) => {
      const index = resource === 'messagesIndex';
      const id = resourceIds[index ? 'messages' : resource];
      const matches = (r: unknown) => refersTo(r, id) && JSON.stringify(r).includes('/index/') === index;
      return [
        ...new Set(statements.filter((s) => s.resources.some(matches)).flatMap((s) => s.actions)),
      ].sort();
    };
  });

  it('has an expectation for every function in the stack', () => {
    // Assess
    expect(Object.keys(sb.stateless.functions).sort()).toEqual(Object.keys(EXPECTED_ACCESS).sort());
  });

  it.each(Object.keys(EXPECTED_ACCESS))('grants %s exactly its own resources and actions', (name) => {
    // Prepare
    const statements = statementsOf(name);
    const expected = EXPECTED_ACCESS[name]!;

    // Act
    const actual = Object.fromEntries(
      ([...Object.keys(resourceIds), 'messagesIndex'] as ResourceName[])
        .map((resource) => [resource, grantedOn(statements, resource)] as const)
        .filter(([, actions]) => actions.length > 0),
    );

    // Assess
    expect(actual).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v].sort()])));
  });

  it.each(Object.keys(EXPECTED_ACCESS))(
    'gives %s no statement beyond its resources, logs and X-Ray',
    (name) => {
      // Prepare
      const fn = sb.stateless.functions[name]!;
      const known = [...Object.values(resourceIds), logicalId(sb.stateless, fn.logGroup)];

      // Act
      const other = statementsOf(name).filter(
        (s) => !s.resources.every((r) => known.some((id) => JSON.stringify(r).includes(id))),
      );

      // Assess
      const allowed =
        {
          router: ['CreateDelayedSendSchedules', 'PassSchedulerRole'],
          api: ['DeleteErasedCustomersSchedules', 'DeleteCancelledJourneyTimers'],
          journeyEvents: ['ScheduleJourneyTimers', 'PassJourneySchedulerRole'],
          journeyTimers: ['ScheduleJourneyTimers', 'PassJourneySchedulerRole'],
        }[name] ?? [];
      const unexplained = other.filter((s) => !s.Sid || !allowed.includes(s.Sid));
      // Lambda's stream poller lists a table's streams; ListStreams has no resource-level permission.
      // CDK merges it into the X-Ray statement, both being on "*".
      const listStreams = ['ledgerStream', 'journeyEvents'].includes(name) ? ['dynamodb:ListStreams'] : [];
      expect(unexplained.map((s) => ({ actions: [...s.actions].sort(), resources: s.resources }))).toEqual([
        { actions: [...listStreams, 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resources: ['*'] },
      ]);
    },
  );

  it.each(['twilioWebhook', 'sendgridWebhook'])(
    'never lets the public %s put, delete or batch-write a customer',
    (name) => {
      // Act
      const onCustomers = grantedOn(statementsOf(name), 'customers');

      // Assess
      for (const action of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
        expect(onCustomers).not.toContain(action);
      }
    },
  );

  it('keeps the SendGrid API key from the public SendGrid webhook, and its webhook keys from the sender', () => {
    // Act
    const webhookReads = grantedOn(statementsOf('sendgridWebhook'), 'sendgridSecret');
    const senderReads = grantedOn(statementsOf('sendEmail'), 'sendgridWebhookSecret');
    const webhookEnvironment = JSON.stringify(
      sb.services.toJSON().Resources[
        logicalId(sb.stateless, sb.stateless.functions.sendgridWebhook!.function)
      ].Properties.Environment,
    );

    // Assess
    expect(webhookReads).toEqual([]);
    expect(senderReads).toEqual([]);
    expect(webhookEnvironment).not.toContain(resourceIds.sendgridSecret);
    expect(webhookEnvironment).toContain(resourceIds.sendgridWebhookSecret);
  });

  it('uses "*" as a resource only for X-Ray, which supports no resource-level permissions', () => {
    // Act
    const starred = Object.keys(EXPECTED_ACCESS)
      .flatMap(statementsOf)
      .filter((s) => s.resources.includes('*'));

    // Assess
    expect(new Set(starred.flatMap((s) => s.actions))).toEqual(
      new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams']),
    );
  });

  it('grants no wildcard action and never dynamodb:Scan', () => {
    // Act
    const actions = Object.keys(EXPECTED_ACCESS)
      .flatMap(statementsOf)
      .flatMap((s) => s.actions);

    // Assess
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('reaches the messages index by name, never index/*', () => {
    // Act
    const indexResources = Object.keys(EXPECTED_ACCESS)
      .flatMap(statementsOf)
      .flatMap((s) => s.resources.map((r) => JSON.stringify(r)))
      .filter((r) => r.includes('/index/'));

    // Assess
    expect(indexResources.length).toBeGreaterThan(0);
    for (const resource of indexResources) expect(resource).toMatch(/\/index\/gsi1"/);
  });

  it('lets the router create schedules only in its group and pass only the scheduler role, to the scheduler', () => {
    // Act
    const statements = statementsOf('router');
    const create = statements.find((s) => s.Sid === 'CreateDelayedSendSchedules')!;
    const pass = statements.find((s) => s.Sid === 'PassSchedulerRole')!;

    // Assess
    expect(create.actions).toEqual(['scheduler:CreateSchedule']);
    expect(JSON.stringify(create.resources)).toContain(':schedule/switchboard-dev/*');
    expect(pass.actions).toEqual(['iam:PassRole']);
    expect(pass.resources).toEqual([
      { 'Fn::GetAtt': [logicalId(sb.stateless, sb.stateless.schedulerRole), 'Arn'] },
    ]);
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });

  it('lets the API only delete schedules, only in its group (erasure)', () => {
    // Act
    const remove = statementsOf('api').find((s) => s.Sid === 'DeleteErasedCustomersSchedules')!;

    // Assess
    expect(remove.actions).toEqual(['scheduler:DeleteSchedule']);
    expect(JSON.stringify(remove.resources)).toContain(':schedule/switchboard-dev/*');
  });

  it('lets the scheduler role only send to the outbound queue, and only EventBridge Scheduler assume it', () => {
    // Act
    const statements = statementsOfRole(sb.services, logicalId(sb.stateless, sb.stateless.schedulerRole));
    const role = sb.services.toJSON().Resources[logicalId(sb.stateless, sb.stateless.schedulerRole)];

    // Assess
    expect(statements).toHaveLength(1);
    expect(actionsOn(statements, resourceIds.outbound)).toEqual(SEND);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
  });

  it.each(['journeyEvents', 'journeyTimers'])(
    'lets %s create and delete schedules only in the journey group, and pass only the journey scheduler role',
    (name) => {
      // Act
      const statements = statementsOf(name);
      const schedule = statements.find((s) => s.Sid === 'ScheduleJourneyTimers')!;
      const pass = statements.find((s) => s.Sid === 'PassJourneySchedulerRole')!;

      // Assess
      expect([...schedule.actions].sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']);
      expect(JSON.stringify(schedule.resources)).toContain(':schedule/switchboard-dev-journeys/*');
      expect(pass.actions).toEqual(['iam:PassRole']);
      expect(pass.resources).toEqual([
        { 'Fn::GetAtt': [logicalId(sb.stateless, sb.stateless.journeySchedulerRole), 'Arn'] },
      ]);
      expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    },
  );

  it("lets the API only delete journey timers' schedules (a cancel), create none and pass no role", () => {
    // Act
    const statements = statementsOf('api');
    const remove = statements.find((s) => s.Sid === 'DeleteCancelledJourneyTimers')!;
    const actions = statements.flatMap((s) => s.actions);

    // Assess
    expect(remove.actions).toEqual(['scheduler:DeleteSchedule']);
    expect(JSON.stringify(remove.resources)).toContain(':schedule/switchboard-dev-journeys/*');
    expect(actions).not.toContain('scheduler:CreateSchedule');
    expect(actions).not.toContain('iam:PassRole');
  });

  it("keeps the router's and the API's erasure grants off the journey group, and the engine's off the router's", () => {
    // Act
    const scheduleResources = (name: string, sids: string[]) =>
      JSON.stringify(
        statementsOf(name)
          .filter((s) => s.Sid !== undefined && sids.includes(s.Sid))
          .map((s) => s.resources),
      );

    // Assess
    expect(scheduleResources('router', ['CreateDelayedSendSchedules'])).not.toContain('-journeys/');
    expect(scheduleResources('api', ['DeleteErasedCustomersSchedules'])).not.toContain('-journeys/');
    expect(scheduleResources('journeyEvents', ['ScheduleJourneyTimers'])).not.toContain('switchboard-dev/');
  });

  it('lets the journey scheduler role only send to the journey-timers queue, and only EventBridge Scheduler assume it', () => {
    // Act
    const roleId = logicalId(sb.stateless, sb.stateless.journeySchedulerRole);
    const statements = statementsOfRole(sb.services, roleId);
    const role = sb.services.toJSON().Resources[roleId];

    // Assess
    expect(statements).toHaveLength(1);
    expect(actionsOn(statements, resourceIds.journeyTimers)).toEqual(SEND);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
  });

  it('attaches no AWS managed policy to any function role', () => {
    // Act
    const roles = Object.values(sb.services.findResources('AWS::IAM::Role'));

    // Assess
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});
