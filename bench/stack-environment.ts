/**
 * Each function's environment as the deployed stack sets it, for the cold-start benchmark: the CDK
 * app is built the way `cdk synth` builds it (cdk.json's context, the default configuration) but
 * without bundling, and each function's variables are read from the synthesized template. A
 * function's set-up reads these (the router builds its EventBridge Scheduler client only when the
 * scheduler role is set, for instance), so a hand-written list would measure another program.
 *
 * CloudFormation references (a queue's URL, a secret's ARN) are replaced by values of the same shape:
 * nothing is contacted during set-up, but a value must still look like what it names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../infra/config';
import type { HandlerName } from '../infra/constructs/switchboard-function';
import { buildSwitchboard } from '../infra/switchboard';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';

/** A deployment with every channel configured, so that every sender builds its real adapter. */
export const BENCH_CONFIG = {
  twilio: { smsFrom: '+14155552345', whatsappFrom: '+14155552346' },
  email: {
    from: 'notifications@example.com',
    fromName: 'Example',
    replyTo: 'support@example.com',
    unsubscribeUrl: 'https://example.com/unsubscribe?c={customerId}',
  },
  push: { vapidSubject: 'mailto:ops@example.com' },
};

/** A stand-in for a CloudFormation reference, shaped by what the variable's name says it holds. */
export function placeholderFor(name: string): string {
  const id = name
    .replace(/^SWITCHBOARD_/, '')
    .toLowerCase()
    .replaceAll('_', '-');
  if (name.endsWith('_QUEUE_URL')) return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${id}`;
  if (name.endsWith('_URL')) return `https://${id}.lambda-url.${REGION}.on.aws/`;
  if (name.endsWith('_ARN')) {
    if (name.includes('SECRET')) return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}-AbCdEf`;
    if (name.includes('TOPIC')) return `arn:aws:sns:${REGION}:${ACCOUNT}:${id}`;
    if (name.includes('ROLE')) return `arn:aws:iam::${ACCOUNT}:role/${id}`;
    if (name.includes('QUEUE')) return `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`;
    return `arn:aws:${id}:${REGION}:${ACCOUNT}:${id}`;
  }
  return id;
}

/** One Lambda of the stack, as the benchmark needs it. */
export interface StackFunction {
  readonly handler: HandlerName;
  readonly withTemplates: boolean;
  /** The variables the stack sets (references replaced by placeholders). */
  readonly environment: Record<string, string>;
}

/** Every Lambda of a stage deployed with BENCH_CONFIG, in the order the stack defines them. */
export function stackFunctions(root: string): StackFunction[] {
  const context = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')).context;
  // `aws:cdk:bundling-stacks: []` is the CLI's own switch for "bundle no stack".
  const app = new App({
    context: { ...context, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const { stateless } = buildSwitchboard(app, parseConfig(BENCH_CONFIG));
  const resources = Template.fromStack(stateless).toJSON().Resources as Record<
    string,
    { Properties?: { Environment?: { Variables?: Record<string, unknown> } } }
  >;
  return Object.values(stateless.functions).map((fn) => {
    const child = fn.function.node.defaultChild as Parameters<typeof stateless.getLogicalId>[0];
    const variables = resources[stateless.getLogicalId(child)]?.Properties?.Environment?.Variables ?? {};
    const environment = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : placeholderFor(key),
      ]),
    );
    return { handler: fn.handler, withTemplates: fn.withTemplates, environment };
  });
}
