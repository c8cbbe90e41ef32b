/**
 * The stateless stack: the functions, the one HTTP API and the operations dashboard. Everything
 * here can be destroyed and redeployed without losing a customer, a message or a queued request.
 */
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { attributionConfigFromEnv } from '../functions/attribution-config';
import {
  AddressPepperEnv,
  CredentialsEnv,
  Env,
  FcmEnv,
  SenderEnv,
  SendGridEnv,
  TwilioEnv,
  WebPushEnv,
} from '../functions/config';
import { FREQUENCY_CAPS_ENV } from '../functions/frequency-caps-config';
import { INGEST_CORS } from '../functions/handlers/shared/ingest-cors';
import { JourneyEnv } from '../functions/journeys-config';
import { LinkTrackingEnv } from '../functions/link-tracking-config';
import { IngestEnv } from '../functions/touchpoints-config';
import { attributionEnvironment, ledgerStreamMessagesFilters } from './attribution';
import type { SwitchboardConfig } from './config';
import {
  HandlerName,
  SwitchboardFunction,
  seconds,
  TableAction,
  type TableGrant,
} from './constructs/switchboard-function';
import { deployedJourneys, journeyStreamFilters, journeyTimerStatements, schedulesOf } from './journeys';
import { learnedRoutingEnvironment } from './learned-routing';
import { SwitchboardMonitoring } from './monitoring';
import {
  journeyStream,
  ledgerStream,
  senderLeaseSeconds,
  senderMaxRetryableFailures,
  type TableDefinition,
} from './resources';
import type { Channel } from './routes';
import { API_ROUTES, WEBHOOK_ROUTES } from './routes';
import { PublishedParameter, ssmParameterName } from './ssm-names';
import type { StatefulStack } from './stateful-stack';

/** Props of the stateless stack. */
export interface StatelessStackProps extends StackProps {
  readonly config: SwitchboardConfig;
  readonly data: StatefulStack;
}

/** A table's key in the stateful stack. */
type TableKey = TableDefinition['key'];

/** Env var naming each channel's queue. */
const CHANNEL_QUEUE_ENV = {
  sms: Env.SMS_QUEUE_URL,
  whatsapp: Env.WHATSAPP_QUEUE_URL,
  email: Env.EMAIL_QUEUE_URL,
  push: Env.PUSH_QUEUE_URL,
} as const satisfies Record<Channel, string>;

/** Path of Twilio's status callback (the public surface, docs/webhooks.md). */
const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

/** Seconds an HTTP-facing function may run (API Gateway gives up at 30). */
const HTTP_TIMEOUT = Duration.seconds(10);

/**
 * The table calls the public webhooks make, and nothing else: what their wiring builds
 * (functions/wiring/webhook-ports.ts) calls on DynamoDB. A forged request that got past a signature
 * check could still not put, delete or batch-write a customer.
 */
const WEBHOOK_TABLE_GRANTS = {
  messages: {
    actions: [
      // adapters/dynamodb/webhook-ledger.ts findAttempt and hasSeenWebhookEvent; message-ledger.ts
      // getMessage (an attempt leased before it carried its message's context).
      TableAction.GET_ITEM,
      // recordInbound and rememberWebhookEvent (create-if-absent).
      TableAction.PUT_ITEM,
      // advanceStatus and claimFallback (conditional).
      TableAction.UPDATE_ITEM,
    ],
    // latestOutboundMessageId reads the customer's timeline.
    queriedIndexes: ['gsi1'],
  },
  customers: {
    actions: [
      // adapters/dynamodb/consent-store.ts findByAddress and get (customer-store.ts getProfileItem).
      TableAction.GET_ITEM,
      // setConsent, markAddressInvalid and openWhatsAppWindow (conditional).
      TableAction.UPDATE_ITEM,
    ],
  },
} as const satisfies Record<'messages' | 'customers', TableGrant>;

/** Functions, HTTP API and monitoring of one Switchboard stage. */
/**
 * What recording touchpoints does to the tables, for every function that records them:
 * adapters/dynamodb/touchpoint-store.ts — the stitch pointer (Get, Update), touchpoints
 * (create-if-absent Put), the move of an anonymous history (Query, Put, Delete);
 * customer-attributes.ts — the erasure tombstone (Get), identify traits (Get, then a versioned Update).
 */
/** What the click function does on the messages table (adapters/dynamodb/link-store.ts), nothing more. */
const CLICK_GRANTS = [
  TableAction.GET_ITEM,
  TableAction.UPDATE_ITEM,
  TableAction.PUT_ITEM,
  TableAction.CONDITION_CHECK_ITEM,
];

const TOUCHPOINT_GRANTS = {
  messages: [
    TableAction.GET_ITEM,
    TableAction.PUT_ITEM,
    TableAction.UPDATE_ITEM,
    TableAction.DELETE_ITEM,
    TableAction.QUERY,
  ],
  customers: [TableAction.GET_ITEM, TableAction.UPDATE_ITEM],
};

export class StatelessStack extends Stack {
  readonly functions: Readonly<Record<string, SwitchboardFunction>>;
  readonly httpApi: apigwv2.HttpApi;
  readonly httpStage: apigwv2.HttpStage;
  readonly schedulerRole: iam.Role;
  /** The role EventBridge Scheduler assumes to put a journey timer on the journey-timers queue. */
  readonly journeySchedulerRole: iam.Role;
  /** The public webhook function URLs (auth NONE; the handlers verify provider signatures). */
  readonly webhookUrls: Readonly<Record<'twilio' | 'sendgrid', lambda.FunctionUrl>>;
  /** The public ingest's function URL (auth NONE; the handler checks write keys). */
  readonly ingestUrl: lambda.FunctionUrl;
  /** The short links' function URL (auth NONE; `GET /c/{token}` answers recorded tokens only). */
  readonly linksUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const outbound = data.queues.outbound;

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `switchboard-${config.stage}`,
      description: `Switchboard ${config.stage}: the /v1 API (webhooks are Lambda function URLs)`,
      createDefaultStage: false,
    });
    const publicBaseUrl = this.httpApi.apiEndpoint;

    const make = (
      id: string,
      handler: HandlerName,
      description: string,
      timeout: Duration,
      options: { withTemplates?: boolean; withJourneys?: boolean; reservedConcurrency?: number } = {},
    ) => {
      const fn = new SwitchboardFunction(this, id, { handler, description, config, timeout, ...options });
      fn.setEnvironment(Env.RETENTION_DAYS, String(config.retentionDays));
      // Only the functions that record touchpoints read it; unset, they keep no IP or user agent.
      if (config.keepClientContext.length > 0) {
        fn.setEnvironment(Env.KEEP_CLIENT_CONTEXT, config.keepClientContext.join(','));
      }
      return fn;
    };

    // Router -----------------------------------------------------------------------------------
    // EventBridge Scheduler assumes this role to put a far-future request back on the outbound queue.
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: `Switchboard ${config.stage}: lets EventBridge Scheduler re-publish delayed requests`,
    });
    outbound.queue.grantSendMessages(this.schedulerRole);

    const router = make(
      'RouteMessages',
      HandlerName.ROUTE_MESSAGES,
      'Routes message requests to channel queues',
      seconds(outbound.definition.consumerTimeoutSeconds),
      { withTemplates: true },
    )
      .bindTable(data.tables.customers, Env.CUSTOMERS_TABLE, 'READ')
      // Write is the create-if-absent on requestId and the `queued` record; read answers a duplicate
      // with the message already created and carries a fallback's tried channels.
      .bindTable(data.tables.messages, Env.MESSAGES_TABLE, 'READ_WRITE')
      .bindQueueSend(outbound.queue, Env.OUTBOUND_QUEUE_URL)
      .consume(outbound, config.maxConcurrency.outbound);
    for (const channel of Object.keys(CHANNEL_QUEUE_ENV) as Channel[]) {
      router.bindQueueSend(data.queues[channel].queue, CHANNEL_QUEUE_ENV[channel]);
    }
    router.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CreateDelayedSendSchedules',
        actions: ['scheduler:CreateSchedule'],
        resources: [
          this.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${data.scheduleGroup.name}/*`,
          }),
        ],
      }),
    );
    router.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    // The router reads these three together (functions/handlers/route-messages.ts): with the role
    // set, long delays become EventBridge schedules that target the outbound queue by ARN.
    const learnedRouting = learnedRoutingEnvironment(config.learnedRouting);
    for (const [name, value] of Object.entries(learnedRouting)) router.setEnvironment(name, value);
    if (config.frequencyCaps.length > 0) {
      // The counters live on the profile items (adapters/dynamodb/frequency-cap-counters.ts).
      router.setEnvironment(FREQUENCY_CAPS_ENV, JSON.stringify(config.frequencyCaps));
      router.function.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'CountFrequencyCaps',
          actions: ['dynamodb:UpdateItem'],
          resources: [data.tables.customers.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['customer#*'] } },
        }),
      );
    }
    router
      .setEnvironment(Env.SCHEDULE_GROUP, data.scheduleGroup.name)
      .setEnvironment(Env.SCHEDULER_ROLE_ARN, this.schedulerRole.roleArn)
      .setEnvironment(Env.OUTBOUND_QUEUE_ARN, outbound.queue.queueArn);

    // Functions that name addresses in keys (customer store, webhook ledger) read the pepper of the
    // keyed hash; the router, receipt timeouts and the ledger stream never do and are not granted it.
    const hashesAddresses = (fn: SwitchboardFunction): SwitchboardFunction =>
      fn
        .bindSecret(data.addressPepper, AddressPepperEnv.SECRET_ARN)
        .setEnvironment(AddressPepperEnv.LEGACY, config.legacyAddressHash);

    // HTTP-facing functions -------------------------------------------------------------------------
    const api = hashesAddresses(
      make('Api', HandlerName.API, 'Customers, messages and events API (/v1)', HTTP_TIMEOUT, {
        withJourneys: true,
      }),
    )
      .bindTable(data.tables.customers, Env.CUSTOMERS_TABLE, 'READ_WRITE')
      .bindTable(data.tables.messages, Env.MESSAGES_TABLE, 'READ_WRITE')
      .bindQueueSend(outbound.queue, Env.OUTBOUND_QUEUE_URL)
      // Erasure deletes the customer's pending delivery schedules (domain/erase-customer.ts).
      .setEnvironment(Env.SCHEDULE_GROUP, data.scheduleGroup.name);
    // The attribution report reads as many aggregate shards as the ledger stream writes.
    const attribution = attributionEnvironment(config.attribution);
    for (const [name, value] of Object.entries(attribution)) api.setEnvironment(name, value);
    api.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DeleteErasedCustomersSchedules',
        actions: ['scheduler:DeleteSchedule'],
        resources: [
          this.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${data.scheduleGroup.name}/*`,
          }),
        ],
      }),
    );

    // Public URLs: reserved concurrency caps what a flood can take from the account's pool.
    const { reservedConcurrency } = config.webhooks;
    const webhook = (id: string, handler: HandlerName, description: string) =>
      hashesAddresses(
        make(id, handler, description, HTTP_TIMEOUT, {
          ...(reservedConcurrency === false ? {} : { reservedConcurrency }),
        }),
      )
        .bindTable(data.tables.messages, Env.MESSAGES_TABLE, WEBHOOK_TABLE_GRANTS.messages)
        .bindTable(data.tables.customers, Env.CUSTOMERS_TABLE, WEBHOOK_TABLE_GRANTS.customers)
        // No topic or outbound queue: their events and owed fallbacks flow from the tables' streams.
        // No SWITCHBOARD_PUBLIC_BASE_URL: on a function URL the Host header is the host the
        // provider called, which is what Twilio signs (adapters/twilio/signature.ts).
        .setEnvironment(Env.PLAIN_LANGUAGE_OPT_OUT, config.webhooks.plainLanguage);
    // Each webhook reads its keys from its provider's own secret (functions/wiring/webhook-ports.ts);
    // SendGrid's webhook keys have a secret of their own, so the public webhook never reads the API key.
    const twilioWebhook = webhook(
      'TwilioWebhook',
      HandlerName.TWILIO_WEBHOOK,
      'Twilio status callbacks and inbound messages',
    ).bindSecret(data.secrets.twilio, CredentialsEnv.TWILIO_SECRET_ARN);
    const sendgridWebhook = webhook(
      'SendGridWebhook',
      HandlerName.SENDGRID_WEBHOOK,
      'SendGrid Event Webhook and Inbound Parse',
    )
      .bindSecret(data.secrets.sendgridWebhook, CredentialsEnv.SENDGRID_WEBHOOK_SECRET_ARN)
      .setEnvironment(
        Env.SENDGRID_WEBHOOK_TOLERANCE_SECONDS,
        String(config.webhooks.sendgridToleranceSeconds),
      )
      .setEnvironment(Env.SENDGRID_WEBHOOK_PUBLIC_KEY, config.webhooks.sendgridEventWebhookPublicKey);

    // Webhooks are Lambda function URLs, not HTTP API routes: a function URL costs nothing beyond
    // the invocation, where the HTTP API adds $1 per million requests — one or more per message
    // (docs/BENCHMARKS.md, "Cost design"). Public by necessity (Twilio and SendGrid cannot sign
    // with SigV4); the handlers verify the providers' signatures and answer 404 to other paths.
    this.webhookUrls = {
      twilio: twilioWebhook.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }),
      sendgrid: sendgridWebhook.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE }),
    };
    // `https://<id>.lambda-url.<region>.on.aws/` → without the trailing slash, to append paths to.
    const webhookBaseUrls = {
      twilio: `https://${Fn.select(2, Fn.split('/', this.webhookUrls.twilio.url))}`,
      sendgrid: `https://${Fn.select(2, Fn.split('/', this.webhookUrls.sendgrid.url))}`,
    };

    // Channel senders ----------------------------------------------------------------------------
    // Each sender gets exactly what its handler and adapters read (functions/config.ts names).
    // Twilio signs the callback URL with its query (the attempt's key, statusCallbackFor).
    const twilioStatusUrl = `${webhookBaseUrls.twilio}${TWILIO_STATUS_PATH}`;
    const sender = (id: string, channel: Channel, handler: HandlerName, description: string) => {
      const queue = data.queues[channel];
      const fn = hashesAddresses(
        make(id, handler, description, seconds(queue.definition.consumerTimeoutSeconds)),
      )
        .bindTable(data.tables.messages, Env.MESSAGES_TABLE, 'READ_WRITE')
        // Opt-outs (Twilio 21610) and unregistered push devices are written to the profile.
        .bindTable(data.tables.customers, Env.CUSTOMERS_TABLE, 'UPDATE')
        // Fallback requests go back to the router.
        .bindQueueSend(outbound.queue, Env.OUTBOUND_QUEUE_URL)
        // After a send, a delayed receipt check goes on the receipts queue.
        .bindQueueSend(data.queues.receipts.queue, Env.RECEIPTS_QUEUE_URL)
        .setEnvironment(SenderEnv.LEASE_SECONDS, String(senderLeaseSeconds(queue.definition)))
        .setEnvironment(
          SenderEnv.MAX_RETRYABLE_FAILURES,
          String(senderMaxRetryableFailures(queue.definition)),
        )
        .consume(queue, config.maxConcurrency[channel]);
      return fn;
    };
    const sendSms = sender('SendSms', 'sms', HandlerName.SEND_SMS, 'Sends SMS through Twilio')
      .bindSecret(data.secrets.twilio, CredentialsEnv.TWILIO_SECRET_ARN)
      .setEnvironment(TwilioEnv.MESSAGING_SERVICE_SID, config.twilio.messagingServiceSid)
      .setEnvironment(TwilioEnv.SMS_FROM, config.twilio.smsFrom)
      .setEnvironment(TwilioEnv.STATUS_CALLBACK_URL, twilioStatusUrl);
    const sendWhatsapp = sender(
      'SendWhatsapp',
      'whatsapp',
      HandlerName.SEND_WHATSAPP,
      'Sends WhatsApp through Twilio',
    )
      .bindSecret(data.secrets.twilio, CredentialsEnv.TWILIO_SECRET_ARN)
      .setEnvironment(TwilioEnv.MESSAGING_SERVICE_SID, config.twilio.messagingServiceSid)
      .setEnvironment(TwilioEnv.WHATSAPP_FROM, config.twilio.whatsappFrom)
      .setEnvironment(TwilioEnv.STATUS_CALLBACK_URL, twilioStatusUrl);
    const sendEmail = sender('SendEmail', 'email', HandlerName.SEND_EMAIL, 'Sends email through SendGrid')
      .bindSecret(data.secrets.sendgrid, CredentialsEnv.SENDGRID_SECRET_ARN)
      .setEnvironment(SendGridEnv.FROM_EMAIL, config.email.from)
      .setEnvironment(SendGridEnv.FROM_NAME, config.email.fromName)
      .setEnvironment(SendGridEnv.REPLY_TO, config.email.replyTo)
      .setEnvironment(SendGridEnv.UNSUBSCRIBE_URL, config.email.unsubscribeUrl)
      .setEnvironment(SendGridEnv.UNSUBSCRIBE_MAILTO, config.email.unsubscribeMailto);
    const sendPush = sender('SendPush', 'push', HandlerName.SEND_PUSH, 'Sends push through FCM and Web Push')
      .bindSecret(data.secrets.fcm, CredentialsEnv.FCM_SECRET_ARN)
      .bindSecret(data.secrets.vapid, CredentialsEnv.WEBPUSH_SECRET_ARN)
      .setEnvironment(FcmEnv.PROJECT_ID, config.push.fcmProjectId)
      .setEnvironment(WebPushEnv.SUBJECT, config.push.vapidSubject);

    const functions: Record<string, SwitchboardFunction> = {
      router,
      sendSms,
      sendWhatsapp,
      sendEmail,
      sendPush,
      api,
      twilioWebhook,
      sendgridWebhook,
    };

    // Receipt timeouts: delayed checks on the receipts queue fall back when no receipt came in time.
    {
      const source = data.queues.receipts;
      functions.receiptTimeout = make(
        'ReceiptTimeout',
        HandlerName.RECEIPT_TIMEOUT,
        'Falls back when no delivery receipt arrived in time',
        seconds(source.definition.consumerTimeoutSeconds),
      )
        // The fallback claim is written here; the ledger-stream function sends the request.
        .bindTable(data.tables.messages, Env.MESSAGES_TABLE, 'READ_WRITE')
        // A check that comes back before it is due (SQS delays at most 15 minutes) is sent again.
        .bindQueueSend(source.queue, Env.RECEIPTS_QUEUE_URL)
        .consume(source, config.maxConcurrency.receipts);
    }
    // Touchpoints: Segment-spec events published to the touchpoints queue, recorded like POST /v1/events.
    {
      const source = data.queues.touchpoints;
      functions.recordTouchpoints = make(
        'RecordTouchpoints',
        HandlerName.RECORD_TOUCHPOINTS,
        'Records touchpoint events from the touchpoints queue',
        seconds(source.definition.consumerTimeoutSeconds),
      )
        // adapters/dynamodb/touchpoint-store.ts: the stitch pointer (Get, Update), touchpoints
        // (create-if-absent Put), and the move of an anonymous history (Query, Put, Delete).
        .bindTable(data.tables.messages, Env.MESSAGES_TABLE, {
          actions: [
            TableAction.GET_ITEM,
            TableAction.PUT_ITEM,
            TableAction.UPDATE_ITEM,
            TableAction.DELETE_ITEM,
            TableAction.QUERY,
          ],
        })
        // adapters/dynamodb/customer-attributes.ts: identify traits (Get, then a versioned Update).
        .bindTable(data.tables.customers, Env.CUSTOMERS_TABLE, {
          actions: [TableAction.GET_ITEM, TableAction.UPDATE_ITEM],
        })
        .consume(source, config.maxConcurrency.touchpoints);
    }
    // The transactional outbox: both tables' streams → events topic and owed fallbacks.
    {
      const fn = make(
        'LedgerStream',
        HandlerName.LEDGER_STREAM,
        'Publishes the events, sends the fallbacks and counts the engagement each ledger change owes',
        seconds(ledgerStream.timeoutSeconds),
      )
        // adapters/dynamodb/attribution-touches.ts: the customer's messages on gsi1 (Query), their
        // attempts and claims (BatchGetItem); conversion-recorder.ts and attribution-aggregates.ts:
        // TransactWriteItems of Puts (conversion, claims) and Updates (aggregates).
        .bindTable(data.tables.messages, Env.MESSAGES_TABLE, {
          actions: [
            TableAction.QUERY,
            TableAction.BATCH_GET_ITEM,
            TableAction.PUT_ITEM,
            TableAction.UPDATE_ITEM,
          ],
          queriedIndexes: ['gsi1'],
        })
        // adapters/dynamodb/engagement-counters.ts: one Update per counted event on the customer's
        // item or a population shard; a Get only when a sum must move to a new scale.
        .bindTable(data.tables.customers, Env.CUSTOMERS_TABLE, {
          actions: [TableAction.GET_ITEM, TableAction.UPDATE_ITEM],
        })
        .bindTopicPublish(data.eventsTopic, data.eventsTopicKey, Env.EVENTS_TOPIC_ARN)
        .bindQueueSend(outbound.queue, Env.OUTBOUND_QUEUE_URL);
      const { conversionEvents } = attributionConfigFromEnv(attribution);
      for (const [key, { table }] of Object.entries(data.tables)) {
        fn.function.addEventSource(
          new DynamoEventSource(table, {
            // Only the records the consumer acts on invoke it (infra/attribution.ts).
            ...(key === 'messages' ? { filters: ledgerStreamMessagesFilters(conversionEvents) } : {}),
            // From the stream's start: the stream is created with the mapping, nothing is skipped.
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
            batchSize: ledgerStream.batchSize,
            bisectBatchOnError: true,
            retryAttempts: ledgerStream.maxRetryAttempts,
            reportBatchItemFailures: true,
            // One batch per shard at a time: a shard's changes are published in order.
            parallelizationFactor: 1,
            onFailure: new SqsDlq(data.ledgerStreamFailures),
          }),
        );
      }
      // The counters' half-life and shards must be the router's.
      for (const [name, value] of Object.entries(learnedRouting)) fn.setEnvironment(name, value);
      for (const [name, value] of Object.entries(attribution)) fn.setEnvironment(name, value);
      functions.ledgerStream = fn;
    }
    // Journeys ------------------------------------------------------------------------------------
    // EventBridge Scheduler assumes this role to put a journey timer (a wait beyond 15 minutes) on
    // the journey-timers queue, and may do nothing else.
    const journeyTimers = data.queues.journeyTimers;
    this.journeySchedulerRole = new iam.Role(this, 'JourneySchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: `Switchboard ${config.stage}: lets EventBridge Scheduler deliver journey timers`,
    });
    journeyTimers.queue.grantSendMessages(this.journeySchedulerRole);
    const journeys = deployedJourneys();
    // What every function running the engine reads (functions/journeys-config.ts) beside its tables:
    // with the queue's ARN, the role and the group, long timers become one-time schedules.
    const journeyScheduling = (fn: SwitchboardFunction): SwitchboardFunction =>
      fn
        .setEnvironment(JourneyEnv.TIMERS_QUEUE_ARN, journeyTimers.queue.queueArn)
        .setEnvironment(JourneyEnv.SCHEDULER_ROLE_ARN, this.journeySchedulerRole.roleArn)
        .setEnvironment(JourneyEnv.SCHEDULE_GROUP, data.journeyScheduleGroup.name);
    // The engine's calls (functions/wiring/journey-ports.ts): on the messages table, run items read by
    // key (GetItem) and written only at the version read (PutItem), deployed documents stored
    // create-if-absent (PutItem) and earlier versions read (GetItem), the stats counters ADDed
    // (UpdateItem, SPEC-18's JourneyStatsRecorder); on the customers table, the profile's attributes
    // and time zone (GetItem). Messages go to the outbound queue, timers to their own queue.
    const engineTables = (fn: SwitchboardFunction, messages: readonly TableAction[]) =>
      fn
        .bindTable(data.tables.messages, Env.MESSAGES_TABLE, { actions: messages })
        .bindTable(data.tables.customers, Env.CUSTOMERS_TABLE, { actions: [TableAction.GET_ITEM] })
        .bindQueueSend(outbound.queue, Env.OUTBOUND_QUEUE_URL)
        .bindQueueSend(journeyTimers.queue, JourneyEnv.TIMERS_QUEUE_URL);
    const engineWrites = [TableAction.GET_ITEM, TableAction.PUT_ITEM, TableAction.UPDATE_ITEM];
    // Functions that advance runs schedule and delete long timers (infra/journeys.ts).
    const schedulesTimers = (fn: SwitchboardFunction): SwitchboardFunction => {
      const statements = journeyTimerStatements(this, data.journeyScheduleGroup, this.journeySchedulerRole);
      for (const statement of statements) fn.function.addToRolePolicy(statement);
      return fn;
    };
    {
      const fn = make(
        'JourneyEvents',
        HandlerName.JOURNEY_EVENTS,
        'Starts, advances and ends journey runs from the ledger changes journeys react to',
        seconds(journeyStream.timeoutSeconds),
        { withJourneys: true },
      );
      // An event may be for every run of the customer (a match with `key: false`): one Query of her
      // runs of the journey, on the table itself.
      schedulesTimers(journeyScheduling(engineTables(fn, [...engineWrites, TableAction.QUERY])));
      for (const [key, { table }] of Object.entries(data.tables) as [TableKey, { table: ITable }][]) {
        const filters = journeyStreamFilters(key, journeys);
        // No pattern: nothing on this table concerns a deployed journey (no filter would be all).
        if (filters.length === 0) continue;
        fn.function.addEventSource(
          new DynamoEventSource(table, {
            filters,
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
            batchSize: journeyStream.batchSize,
            bisectBatchOnError: true,
            retryAttempts: journeyStream.maxRetryAttempts,
            reportBatchItemFailures: true,
            // One batch per shard at a time: a customer's changes reach her runs in order.
            parallelizationFactor: 1,
            onFailure: new SqsDlq(data.journeyEventsFailures),
          }),
        );
      }
      functions.journeyEvents = fn;
    }
    {
      const fn = make(
        'JourneyTimers',
        HandlerName.JOURNEY_TIMERS,
        'Wakes waiting journey runs when their timers fire',
        seconds(journeyTimers.definition.consumerTimeoutSeconds),
        { withJourneys: true },
      );
      // A timer wakes one run by key: no Query. Its queue is also where an early timer goes back.
      schedulesTimers(journeyScheduling(engineTables(fn, engineWrites))).consume(
        journeyTimers,
        config.maxConcurrency.journeyTimers,
      );
      functions.journeyTimers = fn;
    }
    // The API cancels runs (POST /v1/journeys/{journeyId}/cancel): a cancel ends a run and deletes its
    // pending timer (domain/journeys/run-draft.ts exitRun), never schedules one or sends a message.
    // So it may delete schedules in the journey group only, and pass no role; the queue's URL is set
    // for the engine's configuration reader, and nothing is sent to it. Its tables it already has.
    journeyScheduling(api).setEnvironment(JourneyEnv.TIMERS_QUEUE_URL, journeyTimers.queue.queueUrl);
    api.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DeleteCancelledJourneyTimers',
        actions: ['scheduler:DeleteSchedule'],
        resources: [schedulesOf(this, data.journeyScheduleGroup)],
      }),
    );
    // The public ingest: write-key-authenticated events from browsers, apps and store terminals.
    const ingest = config.ingest;
    functions.publicIngest = make(
      'PublicIngest',
      HandlerName.PUBLIC_INGEST,
      'Public touchpoint ingest (/ingest/v1, write keys)',
      HTTP_TIMEOUT,
      ingest.reservedConcurrency === false ? {} : { reservedConcurrency: ingest.reservedConcurrency },
    )
      // As the touchpoints consumer, nothing more; on the customers table the source's Get too. No
      // Put or Delete there: the public function cannot create or revoke a source.
      .bindTable(data.tables.messages, Env.MESSAGES_TABLE, { actions: TOUCHPOINT_GRANTS.messages })
      .bindTable(data.tables.customers, Env.CUSTOMERS_TABLE, { actions: TOUCHPOINT_GRANTS.customers })
      .setEnvironment(IngestEnv.RATE_LIMIT, String(ingest.rateLimit))
      .setEnvironment(IngestEnv.RATE_WINDOW_SECONDS, String(ingest.rateWindowSeconds));
    // Public by necessity (a browser cannot sign with SigV4); the handler checks the write key.
    this.ingestUrl = functions.publicIngest.function.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
      cors: {
        allowedOrigins: ingest.allowedOrigins,
        allowedMethods: INGEST_CORS.allowedMethods.map((method) => lambda.HttpMethod[method]),
        allowedHeaders: [...INGEST_CORS.allowedHeaders],
        maxAge: Duration.seconds(INGEST_CORS.maxAgeSeconds),
      },
    });
    // Short links, GET /c/{token}: public by necessity (whoever holds a link may follow it); the
    // handler answers only tokens it recorded, and redirects only to the URL recorded for them.
    const links = config.links;
    functions.clickRedirect = make(
      'ClickRedirect',
      HandlerName.CLICK_REDIRECT,
      'Short links /c/{token}: records the click, redirects to the recorded URL',
      HTTP_TIMEOUT,
      links.reservedConcurrency === false ? {} : { reservedConcurrency: links.reservedConcurrency },
    )
      // adapters/dynamodb/link-store.ts: the link (Get, Update), the click item (Put) in a
      // transaction with the attempt's check, and `clicked` on the attempt (Update).
      .bindTable(data.tables.messages, Env.MESSAGES_TABLE, { actions: CLICK_GRANTS });
    this.linksUrl = functions.clickRedirect.function.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.NONE,
    });
    const linksBaseUrl = links.baseUrl ?? `https://${Fn.select(2, Fn.split('/', this.linksUrl.url))}`;
    // The senders of the channels whose links are rewritten (not email: SendGrid tracks its clicks).
    const untracked = Object.entries(links.categories).map(([category, on]) => `${category}=${on}`);
    for (const fn of [sendSms, sendWhatsapp, sendPush]) {
      fn.setEnvironment(LinkTrackingEnv.BASE_URL, linksBaseUrl).setEnvironment(
        LinkTrackingEnv.CATEGORIES,
        untracked.length > 0 ? untracked.join(',') : undefined,
      );
    }
    this.functions = functions;

    // HTTP API --------------------------------------------------------------------------------------
    const accessLogs = new logs.LogGroup(this, 'HttpApiAccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.httpStage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttling.rateLimit, burstLimit: config.throttling.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // No query string, body or caller IP beyond what ops need: these paths carry no PII.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            latency: '$context.responseLatency',
            callerArn: '$context.identity.userArn',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });

    const integrations = {
      api: new HttpLambdaIntegration('ApiIntegration', api.function),
    };
    const iamAuthorizer = new HttpIamAuthorizer();
    for (const route of API_ROUTES) {
      this.httpApi.addRoutes({
        path: route.path,
        methods: route.methods.map((m) => apigwv2.HttpMethod[m]),
        integration: integrations.api,
        authorizer: iamAuthorizer,
      });
    }
    // Outputs for publishers and provider consoles ----------------------------------------------------
    this.publish(config, 'ApiUrl', PublishedParameter.API_URL, publicBaseUrl, 'HTTP API base URL');
    const webhookOutputs = [
      ['TwilioStatusWebhookUrl', PublishedParameter.TWILIO_STATUS_WEBHOOK_URL, '/webhooks/twilio/status'],
      ['TwilioInboundWebhookUrl', PublishedParameter.TWILIO_INBOUND_WEBHOOK_URL, '/webhooks/twilio/inbound'],
      [
        'SendGridEventsWebhookUrl',
        PublishedParameter.SENDGRID_EVENTS_WEBHOOK_URL,
        '/webhooks/sendgrid/events',
      ],
      [
        'SendGridInboundWebhookUrl',
        PublishedParameter.SENDGRID_INBOUND_WEBHOOK_URL,
        '/webhooks/sendgrid/inbound',
      ],
    ] as const;
    for (const [id, name, routePath] of webhookOutputs) {
      const provider = WEBHOOK_ROUTES.find((route) => route.path === routePath)!.provider;
      this.publish(
        config,
        id,
        name,
        `${webhookBaseUrls[provider]}${routePath}`,
        `Webhook URL for ${routePath} (Lambda function URL)`,
      );
    }

    this.publish(
      config,
      'IngestUrl',
      PublishedParameter.INGEST_URL,
      `https://${Fn.select(2, Fn.split('/', this.ingestUrl.url))}/ingest`,
      'Public ingest base URL (Segment clients: host + /v1/batch; write keys)',
    );

    this.publish(
      config,
      'LinksBaseUrl',
      PublishedParameter.LINKS_BASE_URL,
      linksBaseUrl,
      'Base URL of the short links (<base>/c/{token}); point a custom domain at the click function URL',
    );

    new SwitchboardMonitoring(this, 'Monitoring', {
      config,
      data,
      functions,
      httpApi: this.httpApi,
      accessLogs,
    });
  }

  private publish(
    config: SwitchboardConfig,
    id: string,
    name: string,
    value: string,
    description: string,
  ): void {
    new CfnOutput(this, id, { value, description });
    new ssm.StringParameter(this, `${id}Parameter`, {
      parameterName: ssmParameterName(config.stage, name),
      stringValue: value,
      description: `Switchboard ${config.stage}: ${description}`,
    });
  }
}
