/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`): configuration from context, one Switchboard
 * stage, cdk-nag AwsSolutions checks on every synth. Runs offline with no AWS credentials.
 */
import { App } from 'aws-cdk-lib';
import { configFromContext, InvalidConfigurationError } from './config';
import { buildSwitchboard } from './switchboard';

const app = new App();
try {
  buildSwitchboard(
    app,
    configFromContext((key) => app.node.tryGetContext(key)),
  );
} catch (error) {
  if (error instanceof InvalidConfigurationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
app.synth();
