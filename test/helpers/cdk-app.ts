/**
 * Builds the Switchboard CDK app the way `cdk synth` does (cdk.json context, cdk-nag checks) but
 * without bundling, so infra tests run in seconds. Plus small readers over synthesized templates.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { parseConfig, type SwitchboardConfigInput } from '../../infra/config';
import { buildSwitchboard, type SwitchboardStacks } from '../../infra/switchboard';

const CDK_JSON_CONTEXT = JSON.parse(
  readFileSync(path.resolve(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/** A synthesized stage: the stacks and their templates. */
export interface SynthesizedSwitchboard extends SwitchboardStacks {
  readonly app: App;
  readonly data: Template;
  readonly services: Template;
}

/** Builds and synthesizes one stage with the given configuration; bundling is skipped. */
export function synthSwitchboard(input: SwitchboardConfigInput = {}): SynthesizedSwitchboard {
  const app = new App({
    // `aws:cdk:bundling-stacks: []` is the CLI's own switch for "bundle no stack".
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
    // CDK's built-in cfn-lint (WebAssembly) costs ~10 s per synth; `npm run synth` still runs it.
    builtinCloudFormationValidation: false,
  });
  const stacks = buildSwitchboard(app, parseConfig(input));
  return {
    ...stacks,
    app,
    data: Template.fromStack(stacks.stateful),
    services: Template.fromStack(stacks.stateless),
  };
}

/** A CloudFormation resource as it appears in a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** One IAM policy statement, normalised to arrays. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly actions: string[];
  readonly resources: unknown[];
  readonly Condition?: unknown;
}

/** Logical id of a construct's CloudFormation resource in its stack. */
export function logicalId(stack: Stack, construct: IConstruct): string {
  const child = (construct.node.defaultChild ?? construct) as unknown as Parameters<Stack['getLogicalId']>[0];
  return stack.getLogicalId(child);
}

/**
 * Whether a JSON fragment refers to a resource by logical id: Ref, GetAtt, or a cross-stack import
 * (whose export name embeds the id). Logical ids end in an 8-hex-digit hash, so a substring is exact.
 */
export function refersTo(fragment: unknown, id: string): boolean {
  return JSON.stringify(fragment).includes(id);
}

/** Every statement of the inline policies attached to a role. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, CfnResourceJson>;
  const statements: Statement[] = [];
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties?.Roles ?? []) as unknown[];
    if (!roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId }))) continue;
    const document = policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] };
    for (const s of document.Statement) {
      statements.push({
        Sid: s.Sid as string | undefined,
        Effect: s.Effect as string,
        actions: ([] as string[]).concat(s.Action as string | string[]),
        resources: ([] as unknown[]).concat(s.Resource),
        Condition: s.Condition,
      });
    }
  }
  return statements;
}

/** Statements that grant an action on a resource referring to the given logical id. */
export function grantsOn(statements: Statement[], id: string): Statement[] {
  return statements.filter((s) => s.resources.some((r) => refersTo(r, id)));
}

/** Every action granted on resources referring to the given logical id. */
export function actionsOn(statements: Statement[], id: string): string[] {
  return [...new Set(grantsOn(statements, id).flatMap((s) => s.actions))].sort();
}

/** A function's environment as the wiring sees it (CloudFormation references as their JSON). */
export function environmentOf(sb: SynthesizedSwitchboard, name: string): NodeJS.ProcessEnv {
  const fn = sb.stateless.functions[name as keyof typeof sb.stateless.functions];
  if (!fn) throw new Error(`no function ${name} in the stack`);
  const resource = sb.services.toJSON().Resources[logicalId(sb.stateless, fn.function)];
  const variables = resource.Properties.Environment.Variables as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}
