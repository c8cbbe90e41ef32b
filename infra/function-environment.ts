/**
 * Environment variable names the deployed stack sets. There is one set of names: the functions'
 * own (`Env`, `SenderEnv`, `TwilioEnv`, `SendGridEnv`, `FcmEnv`, `WebPushEnv`, `CredentialsEnv` in
 * functions/config.ts), which infra imports, so the stack cannot set a variable no handler reads.
 * Only the stage name is infra's own.
 *
 * Secrets are passed by ARN only (handlers fetch and cache the value with Powertools Parameters),
 * never by value.
 */
export { METRICS_NAMESPACE, SERVICE_NAME, SenderMetric } from '../functions/config';

/** Names of the variables only the stack sets. */
export const DeployEnv = {
  /** Deployment stage name (`dev`, `prod`, …). */
  STAGE: 'SWITCHBOARD_STAGE',
} as const;
