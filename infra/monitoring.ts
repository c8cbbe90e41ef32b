/**
 * Operations: one dashboard and the alarms that say a message is stuck or lost — DLQ depth, age of
 * the oldest message, function errors and throttles, per-channel send failure rate, webhook 4xx
 * spikes and webhook 5xx answers — through cdk-monitoring-constructs, with an optional SNS topic
 * for notifications.
 */
import { Annotations, Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  DefaultDashboardFactory,
  type IAlarmActionStrategy,
  MonitoringFacade,
  multipleActions,
  noopAction,
  SnsAlarmActionStrategy,
} from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import type { SwitchboardConfig } from './config';
import type { SwitchboardFunction } from './constructs/switchboard-function';
import { METRICS_NAMESPACE, SERVICE_NAME, SenderMetric } from './function-environment';
import { CHANNELS } from './routes';
import type { QueueWithDlq, StatefulStack } from './stateful-stack';

/** Alarm thresholds, in one place so docs/deploy.md can quote them. */
export const AlarmThresholds = {
  /** Any message in a DLQ is a message that needs a human. */
  dlqMaxMessages: 0,
  /** Oldest message in a working queue, seconds: longer means consumers are stuck or throttled. */
  queueMaxAgeSeconds: 15 * 60,
  /** Function errors (invocation failures, not reported batch item failures) per 5 minutes. */
  functionMaxErrors: 5,
  /** Throttled invocations per 5 minutes. */
  functionMaxThrottles: 10,
  /** Share of send attempts ending `failed`, per channel, over 5 minutes. */
  channelMaxFailureRate: 0.2,
  /** Minimum attempts in the window before the failure rate can alarm (avoids 1 of 1 = 100%). */
  channelMinAttempts: 20,
  /** Webhook 4xx answers per 5 minutes: forged or misconfigured callbacks. */
  webhookMax4xx: 50,
  /**
   * Webhook 5xx answers per webhook function per 5 minutes. The handlers answer an unexpected error
   * with 500 rather than failing the invocation (so the provider retries), which the function-error
   * alarm does not count; Twilio does not retry a status callback, so each one can be a receipt lost.
   */
  webhookMax5xx: 0,
} as const;

/** The public webhook functions, by their key in the stack's function map. */
export const WEBHOOK_FUNCTIONS = ['twilioWebhook', 'sendgridWebhook'] as const;

/** Id of the synth warning given when a protected stage's alarms notify nobody. */
export const ALARMS_NOTIFY_NOBODY_WARNING = 'switchboard:alarmsNotifyNobody';

/** Metric counting webhook requests answered 4xx, from the HTTP API access log. */
export const WEBHOOK_CLIENT_ERRORS_METRIC = 'WebhookClientErrors';

/** Props of the monitoring construct. */
export interface SwitchboardMonitoringProps {
  readonly config: SwitchboardConfig;
  readonly data: StatefulStack;
  readonly functions: Readonly<Record<string, SwitchboardFunction>>;
  readonly httpApi: apigwv2.IHttpApi;
  readonly accessLogs: logs.ILogGroup;
}

/** Dashboard and alarms of one Switchboard stage. */
export class SwitchboardMonitoring extends Construct {
  readonly facade: MonitoringFacade;
  /** The topic alarms notify, when one is configured. */
  readonly alarmTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: SwitchboardMonitoringProps) {
    super(scope, id);
    const { config, data } = props;

    const actions: IAlarmActionStrategy[] = [];
    if (config.alarmEmail) {
      const key = new kms.Key(this, 'AlarmTopicKey', {
        description: `Switchboard ${config.stage}: encrypts the alarm topic`,
        enableKeyRotation: true,
      });
      // CloudWatch publishes to an encrypted topic only if the key lets it.
      key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      const topic = new sns.Topic(this, 'AlarmTopic', {
        displayName: `Switchboard ${config.stage} alarms`,
        masterKey: key,
        enforceSSL: true,
      });
      topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
      this.alarmTopic = topic;
      actions.push(new SnsAlarmActionStrategy({ onAlarmTopic: topic }));
    }
    if (config.alarmTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, 'ExistingAlarmTopic', config.alarmTopicArn);
      this.alarmTopic ??= topic;
      actions.push(new SnsAlarmActionStrategy({ onAlarmTopic: topic }));
    }
    if (config.protectData && actions.length === 0) {
      // A warning, not an error: a first deploy may come before anyone has an address to give.
      Annotations.of(this).addWarningV2(
        ALARMS_NOTIFY_NOBODY_WARNING,
        'This stage protects its data, but its alarms notify nobody: set alarmEmail or alarmTopicArn (docs/deploy.md, "Operations").',
      );
    }

    const prefix = `switchboard-${config.stage}`;
    this.facade = new MonitoringFacade(this, 'Facade', {
      alarmFactoryDefaults: {
        alarmNamePrefix: prefix,
        actionsEnabled: true,
        action: actions.length === 0 ? noopAction() : multipleActions(...actions),
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
      },
      metricFactoryDefaults: {},
      dashboardFactory: new DefaultDashboardFactory(this, 'Dashboards', {
        dashboardNamePrefix: prefix,
        createDashboard: true,
        createSummaryDashboard: false,
        createAlarmDashboard: true,
      }),
    });

    this.facade.addLargeHeader(`Switchboard ${config.stage}`);
    const allQueues: QueueWithDlq[] = [...Object.values(data.queues)];
    for (const q of allQueues) {
      this.facade.monitorSqsQueueWithDlq({
        queue: q.queue,
        deadLetterQueue: q.deadLetterQueue,
        alarmFriendlyName: `${q.definition.key}-queue`,
        humanReadableName: `${q.definition.key} queue`,
        addDeadLetterQueueMaxSizeAlarm: {
          Critical: { maxMessageCount: AlarmThresholds.dlqMaxMessages },
        },
        addQueueMaxMessageAgeAlarm: {
          Warning: { maxAgeInSeconds: AlarmThresholds.queueMaxAgeSeconds },
        },
      });
    }

    // A change whose events could not be published after every retry: page someone (the change
    // is in the table; docs/deploy.md says how to republish it).
    this.facade.monitorSqsQueue({
      queue: data.ledgerStreamFailures,
      alarmFriendlyName: 'ledger-stream-failures',
      humanReadableName: 'ledger stream failures',
      addQueueMaxSizeAlarm: { Critical: { maxMessageCount: AlarmThresholds.dlqMaxMessages } },
    });
    // A change no journey run could take after every retry: a run may be waiting for it.
    this.facade.monitorSqsQueue({
      queue: data.journeyEventsFailures,
      alarmFriendlyName: 'journey-events-failures',
      humanReadableName: 'journey events failures',
      addQueueMaxSizeAlarm: { Critical: { maxMessageCount: AlarmThresholds.dlqMaxMessages } },
    });

    for (const [name, fn] of Object.entries(props.functions)) {
      this.facade.monitorLambdaFunction({
        lambdaFunction: fn.function,
        alarmFriendlyName: `${name}-function`,
        humanReadableName: `${name} function`,
        addFaultCountAlarm: { Critical: { maxErrorCount: AlarmThresholds.functionMaxErrors } },
        addThrottlesCountAlarm: { Warning: { maxErrorCount: AlarmThresholds.functionMaxThrottles } },
      });
    }

    this.facade.monitorCustom({
      alarmFriendlyName: 'channel-failure-rate',
      humanReadableName: 'Send failure rate per channel',
      metricGroups: [
        {
          title: 'Send failure rate (SendFailed / attempts)',
          metrics: CHANNELS.map((channel) => ({
            metric: channelFailureRate(channel),
            alarmFriendlyName: `${channel}-failure-rate`,
            addAlarm: {
              Critical: {
                threshold: AlarmThresholds.channelMaxFailureRate,
                comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                additionalDescription: `More than ${AlarmThresholds.channelMaxFailureRate * 100}% of ${channel} attempts failed (at least ${AlarmThresholds.channelMinAttempts} attempts)`,
              },
            },
          })),
        },
      ],
    });

    // Webhooks are function URLs (no access log): count the rejections the handlers log
    // (handlers/shared/webhook-http.ts, 401 and 400 answers), one metric for both providers.
    for (const name of WEBHOOK_FUNCTIONS) {
      const fn = props.functions[name];
      if (!fn) continue;
      new logs.MetricFilter(this, `WebhookClientErrorsFilter-${name}`, {
        logGroup: fn.logGroup,
        metricNamespace: METRICS_NAMESPACE,
        metricName: WEBHOOK_CLIENT_ERRORS_METRIC,
        metricValue: '1',
        defaultValue: 0,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'Webhook request rejected*'),
      });
    }
    this.facade.monitorApiGatewayV2HttpApi({
      api: props.httpApi,
      alarmFriendlyName: 'http-api',
      humanReadableName: 'HTTP API',
    });
    this.facade.monitorCustom({
      alarmFriendlyName: 'webhook-4xx',
      humanReadableName: 'Webhook 4xx answers',
      metricGroups: [
        {
          title: 'Webhook requests answered 4xx',
          metrics: [
            {
              metric: new Metric({
                namespace: METRICS_NAMESPACE,
                metricName: WEBHOOK_CLIENT_ERRORS_METRIC,
                statistic: 'Sum',
                period: Duration.minutes(5),
              }),
              alarmFriendlyName: 'webhook-4xx',
              addAlarm: {
                Warning: {
                  threshold: AlarmThresholds.webhookMax4xx,
                  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                  additionalDescription:
                    'Many webhook calls were rejected: a wrong secret after rotation, or forged callbacks',
                },
              },
            },
          ],
        },
      ],
    });
    // Function URL metrics count every 5xx answer: the handlers' own 500s, timeouts and crashes.
    this.facade.monitorCustom({
      alarmFriendlyName: 'webhook-5xx',
      humanReadableName: 'Webhook 5xx answers',
      metricGroups: [
        {
          title: 'Webhook requests answered 5xx (function URL metrics)',
          metrics: WEBHOOK_FUNCTIONS.flatMap((name) => {
            const fn = props.functions[name];
            if (!fn) return [];
            return [
              {
                metric: new Metric({
                  namespace: 'AWS/Lambda',
                  metricName: 'Url5xxCount',
                  dimensionsMap: { FunctionName: fn.function.functionName },
                  statistic: 'Sum',
                  period: Duration.minutes(5),
                  label: `${name} 5xx`,
                }),
                alarmFriendlyName: `${name}-5xx`,
                addAlarm: {
                  Critical: {
                    threshold: AlarmThresholds.webhookMax5xx,
                    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                    // No request, no data point: that is not an error.
                    treatMissingDataOverride: TreatMissingData.NOT_BREACHING,
                    additionalDescription: `The ${name} function answered 5xx: a provider callback was not recorded (SendGrid retries; Twilio status callbacks are not retried)`,
                  },
                },
              },
            ];
          }),
        },
      ],
    });
  }
}

/** SendFailed / (MessageSent + SendFailed) for a channel, 0 when too few attempts to judge. */
function channelFailureRate(channel: string): MathExpression {
  const sent = `sent_${channel}`;
  const failed = `failed_${channel}`;
  const metric = (metricName: string) =>
    new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE_NAME, channel },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
  return new MathExpression({
    label: `${channel} failure rate`,
    // Ids are per channel: the four expressions share one graph, where ids must be unique.
    expression: `IF((${sent} + ${failed}) >= ${AlarmThresholds.channelMinAttempts}, ${failed} / (${sent} + ${failed}), 0)`,
    usingMetrics: { [sent]: metric(SenderMetric.SENT), [failed]: metric(SenderMetric.FAILED) },
    period: Duration.minutes(5),
  });
}
