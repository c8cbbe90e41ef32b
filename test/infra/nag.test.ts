import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { ALARMS_NOTIFY_NOBODY_WARNING } from '../../infra/monitoring';
import { ACKNOWLEDGEMENTS } from '../../infra/nag-acknowledgements';
import { type SynthesizedSwitchboard, synthSwitchboard } from '../helpers/cdk-app';

describe('Security review: cdk-nag AwsSolutions', () => {
  it.each([
    ['an unprotected dev stage', { protectData: false }],
    ['a dev stage with an alarm topic', { alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops' }],
    ['production with alarm email', { stage: 'prod', alarmEmail: 'ops@example.com' }],
  ])('leaves no unacknowledged finding and no CDK warning (%s)', (_name, input) => {
    // Prepare
    const sb: SynthesizedSwitchboard = synthSwitchboard(input);

    // Act
    const report = sb.nag.validateScope(sb.app);

    // Assess
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
    expect(report.success).toBe(true);
    for (const stack of [sb.stateful, sb.stateless]) {
      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    }
  });

  it('leaves no unacknowledged finding on the defaults, whose only warning is alarms that notify nobody', () => {
    // Prepare
    const sb = synthSwitchboard({});

    // Act
    const report = sb.nag.validateScope(sb.app);
    const warnings = [sb.stateful, sb.stateless].flatMap((stack) =>
      Annotations.fromStack(stack).findWarning('*', Match.anyValue()),
    );

    // Assess
    expect(report.violations).toEqual([]);
    expect(warnings.map((w) => String(w.entry.data))).toEqual([
      expect.stringContaining(`[ack: ${ALARMS_NOTIFY_NOBODY_WARNING}]`),
    ]);
  });

  it('reports a finding when a resource breaks a rule (the check is live)', () => {
    // Prepare
    const sb = synthSwitchboard({});
    new Queue(sb.stateful, 'UnencryptedNoDlq', {
      encryption: QueueEncryption.UNENCRYPTED,
      enforceSSL: false,
    });

    // Act
    const report = sb.nag.validateScope(sb.app);

    // Assess
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });

  it('documents every acknowledgement and its reason in docs/deploy.md', () => {
    // Prepare
    const doc = readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');

    // Assess
    for (const [rule, reason] of Object.entries(ACKNOWLEDGEMENTS)) {
      expect(doc).toContain(rule);
      expect(doc).toContain(reason);
    }
  });
});
