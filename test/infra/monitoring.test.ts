import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { SenderMetric } from '../../infra/function-environment';
import {
  ALARMS_NOTIFY_NOBODY_WARNING,
  AlarmThresholds,
  WEBHOOK_CLIENT_ERRORS_METRIC,
} from '../../infra/monitoring';
import { CHANNELS } from '../../infra/routes';
import { logicalId, type SynthesizedSwitchboard, synthSwitchboard } from '../helpers/cdk-app';

describe('Monitoring', () => {
  let sb: SynthesizedSwitchboard;
  let alarms: Record<string, { Properties: Record<string, unknown> }>;
  beforeAll(() => {
    sb = synthSwitchboard({ stage: 'dev', alarmEmail: 'ops@example.com' });
    alarms = sb.services.findResources('AWS::CloudWatch::Alarm') as typeof alarms;
  });

  // cdk-monitoring-constructs alarms on metric math (Properties.Metrics), so search the whole alarm.
  const alarmsOn = (metricName: string, refersTo: string) =>
    Object.values(alarms).filter((a) => {
      const json = JSON.stringify(a.Properties);
      return json.includes(`"MetricName":"${metricName}"`) && json.includes(refersTo);
    });

  it.each(['outbound', 'sms', 'whatsapp', 'email', 'push', 'journeyTimers'] as const)(
    'alarms when the %s DLQ holds any message and when the queue backs up',
    (key) => {
      // Prepare
      const { queue, deadLetterQueue } = sb.stateful.queues[key];

      // Act
      const dlqAlarms = alarmsOn(
        'ApproximateNumberOfMessagesVisible',
        logicalId(sb.stateful, deadLetterQueue),
      );
      const ageAlarms = alarmsOn('ApproximateAgeOfOldestMessage', logicalId(sb.stateful, queue));

      // Assess
      expect(dlqAlarms).toHaveLength(1);
      expect(dlqAlarms[0]!.Properties).toMatchObject({
        Threshold: AlarmThresholds.dlqMaxMessages,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(ageAlarms).toHaveLength(1);
      expect(ageAlarms[0]!.Properties.Threshold).toBe(AlarmThresholds.queueMaxAgeSeconds);
    },
  );

  it.each(['ledgerStreamFailures', 'journeyEventsFailures'] as const)(
    'alarms when the %s queue holds any stream record given up on',
    (name) => {
      // Act
      const depth = alarmsOn('ApproximateNumberOfMessagesVisible', logicalId(sb.stateful, sb.stateful[name]));

      // Assess
      expect(depth).toHaveLength(1);
      expect(depth[0]!.Properties).toMatchObject({
        Threshold: AlarmThresholds.dlqMaxMessages,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    },
  );

  it('alarms on errors and throttles of every function', () => {
    // Assess
    for (const fn of Object.values(sb.stateless.functions)) {
      const id = logicalId(sb.stateless, fn.function);
      expect(alarmsOn('Errors', id)).toHaveLength(1);
      expect(alarmsOn('Throttles', id)).toHaveLength(1);
    }
  });

  it.each(CHANNELS.map((c) => [c]))(
    'alarms on the %s send failure rate from the senders metrics',
    (channel) => {
      // Act
      const rate = Object.values(alarms).filter((a) => {
        const metrics = JSON.stringify(a.Properties.Metrics ?? []);
        return metrics.includes(`"channel","Value":"${channel}"`) && metrics.includes(SenderMetric.FAILED);
      });

      // Assess
      expect(rate).toHaveLength(1);
      expect(rate[0]!.Properties.Threshold).toBe(AlarmThresholds.channelMaxFailureRate);
      expect(JSON.stringify(rate[0]!.Properties.Metrics)).toContain(SenderMetric.SENT);
    },
  );

  it("counts the webhooks' rejected requests from their own logs and alarms on a spike", () => {
    // Assess
    const filters = Object.values(sb.services.findResources('AWS::Logs::MetricFilter')).filter((f) =>
      JSON.stringify(f.Properties.MetricTransformations).includes(WEBHOOK_CLIENT_ERRORS_METRIC),
    );
    expect(filters.map((f) => f.Properties.FilterPattern)).toEqual([
      '{ $.message = "Webhook request rejected*" }',
      '{ $.message = "Webhook request rejected*" }',
    ]);
    expect(filters.map((f) => JSON.stringify(f.Properties.LogGroupName)).sort()).toEqual(
      [sb.stateless.functions.sendgridWebhook!.logGroup, sb.stateless.functions.twilioWebhook!.logGroup]
        .map((group) => JSON.stringify({ Ref: logicalId(sb.stateless, group) }))
        .sort(),
    );
    const spike = Object.values(alarms).filter(
      (a) => a.Properties.MetricName === WEBHOOK_CLIENT_ERRORS_METRIC,
    );
    expect(spike).toHaveLength(1);
    expect(spike[0]!.Properties.Threshold).toBe(AlarmThresholds.webhookMax4xx);
  });

  it.each(['twilioWebhook', 'sendgridWebhook'])(
    'alarms on any 5xx answer of the %s function URL, which the function-error alarm does not see',
    (name) => {
      // Prepare
      const id = logicalId(sb.stateless, sb.stateless.functions[name]!.function);

      // Act
      const fiveXx = alarmsOn('Url5xxCount', id);

      // Assess
      expect(fiveXx).toHaveLength(1);
      expect(fiveXx[0]!.Properties).toMatchObject({
        Threshold: AlarmThresholds.webhookMax5xx,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        Metrics: [
          expect.objectContaining({
            MetricStat: {
              Metric: {
                Namespace: 'AWS/Lambda',
                MetricName: 'Url5xxCount',
                Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
              },
              Period: 300,
              Stat: 'Sum',
            },
          }),
        ],
      });
    },
  );

  it('notifies an encrypted alarm topic with the configured email on every alarm', () => {
    // Prepare
    const topic = sb.stateless.node.findAll().find((c) => c.node.id === 'AlarmTopic')!;
    const topicId = logicalId(sb.stateless, topic);

    // Assess
    sb.services.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    sb.services.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    for (const alarm of Object.values(alarms)) {
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain(topicId);
    }
  });

  it('creates a dashboard', () => {
    // Assess
    sb.services.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: Match.stringLikeRegexp('^switchboard-dev'),
    });
  });

  it('creates alarms without actions when no alarm destination is configured', () => {
    // Act
    const quiet = synthSwitchboard({ stage: 'dev', protectData: false });

    // Assess
    quiet.services.resourceCountIs('AWS::SNS::Topic', 0);
    expect(Object.keys(quiet.services.findResources('AWS::CloudWatch::Alarm')).length).toBe(
      Object.keys(alarms).length,
    );
    Annotations.fromStack(quiet.stateless).hasNoWarning('*', Match.anyValue());
  });

  it.each(['dev', 'prod'])(
    'warns at synth when protected stage %s has alarms that notify nobody',
    (stage) => {
      // Act
      const unwatched = synthSwitchboard({ stage });

      // Assess
      Annotations.fromStack(unwatched.stateless).hasWarning(
        '*',
        Match.stringLikeRegexp(`alarms notify nobody.*\\[ack: ${ALARMS_NOTIFY_NOBODY_WARNING}\\]`),
      );
    },
  );
});
