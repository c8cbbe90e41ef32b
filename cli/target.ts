/**
 * Where a CLI command sends its calls: the local runtime (`.switchboard/local.json` under
 * `--dir`, the current folder by default) or a deployed stack (`--api-url`, the stack output
 * `HttpApiUrl`, signed with SigV4 using the caller's AWS credentials).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { SwitchboardApiClient, sigV4Signer } from '../functions/client';
import { LOCAL_CREDENTIALS } from '../local/emulators';
import { readLocalJson } from '../local/local-json';
import type { LocalJson } from '../local/runtime';

/** The flags every command understands for choosing its target. */
export const TARGET_OPTIONS = {
  'api-url': { type: 'string' },
  dir: { type: 'string' },
  region: { type: 'string' },
} as const;

/** A resolved target. */
export interface Target {
  readonly api: SwitchboardApiClient;
  /** Set when the target is the local runtime. */
  readonly local?: LocalJson;
}

/** Thrown when a command needs the local runtime but was pointed at a deployed stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Resolves the target from the parsed flags. */
export function resolveTarget(flags: { 'api-url'?: string; dir?: string; region?: string }): Target {
  if (flags['api-url']) {
    const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError('--api-url needs --region (or AWS_REGION) to sign requests');
    // The SDK's default credential chain, as resolved by any client (env, profile, SSO, role).
    const credentials = new SQSClient({ region }).config.credentials;
    return {
      api: new SwitchboardApiClient({
        baseUrl: flags['api-url'],
        sign: sigV4Signer({ region, credentials }),
      }),
    };
  }
  const local = readLocalJson(flags.dir ?? process.cwd());
  return { api: new SwitchboardApiClient({ baseUrl: local.httpUrl }), local };
}

/** The local runtime's local.json, or a UsageError naming the command. */
export function requireLocal(target: Target, command: string): LocalJson {
  if (!target.local) {
    throw new UsageError(`${command} works against the local runtime only (run npm start; drop --api-url)`);
  }
  return target.local;
}

/** An SQS client for the local runtime's fauxqs. */
export function localSqs(local: LocalJson): SQSClient {
  return new SQSClient({ region: local.region, endpoint: local.sqsEndpoint, credentials: LOCAL_CREDENTIALS });
}
