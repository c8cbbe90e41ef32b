/**
 * Builds a whole Switchboard stage (stateful + stateless stacks) into an App, with cdk-nag's
 * AwsSolutions checks and the acknowledged findings. app.ts and the infra tests both call this,
 * so the tests check exactly what `cdk synth` produces.
 */
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { SwitchboardConfig } from './config';
import { acknowledgeFindings } from './nag-acknowledgements';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

/** The two stacks of one stage. */
export interface SwitchboardStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
  readonly nag: AwsSolutionsChecks;
}

/** Adds a Switchboard stage to an app. */
export function buildSwitchboard(app: App, config: SwitchboardConfig): SwitchboardStacks {
  const env =
    config.account || config.region ? { account: config.account, region: config.region } : undefined;
  const stateful = new StatefulStack(app, `Switchboard-${config.stage}-Data`, {
    config,
    env,
    description: `Switchboard ${config.stage}: tables, queues, events topic, provider secrets`,
    terminationProtection: config.protectData,
  });
  const stateless = new StatelessStack(app, `Switchboard-${config.stage}-Services`, {
    config,
    data: stateful,
    env,
    description: `Switchboard ${config.stage}: functions, HTTP API, dashboard and alarms`,
  });
  Tags.of(app).add('app', 'switchboard');
  Tags.of(app).add('stage', config.stage);

  acknowledgeFindings({ stateful, stateless });
  const nag = new AwsSolutionsChecks(app, { verbose: true });
  Validations.of(app).addPlugins(nag);
  return { stateful, stateless, nag };
}
