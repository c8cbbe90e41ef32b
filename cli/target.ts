/**
 * Where a CLI command sends its calls: the local runtime (`.switchboard/local.json` under `--dir`,
 * the current folder by default) or a deployed stack — named by its outputs (`--outputs`, the JSON
 * `cdk deploy --outputs-file` writes, or `SWITCHBOARD_STACK_OUTPUTS`) and/or `--api-url` (the
 * `ApiUrl` output). API calls to a deployed stack are signed with SigV4 using the caller's AWS
 * credentials (the SDK's default chain: env, profile, SSO, role).
 */
import { readFileSync } from 'node:fs';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SwitchboardApiClient, sigV4Signer } from '@switchboard/client';
import { type QueueKey, queues } from '../infra/resources';
import { LOCAL_CREDENTIALS } from '../local/emulators';
import { readLocalJson } from '../local/local-json';
import type { LocalJson } from '../local/runtime';

/** The flags every command understands for choosing its target. */
export const TARGET_OPTIONS = {
  'api-url': { type: 'string' },
  outputs: { type: 'string' },
  dir: { type: 'string' },
  region: { type: 'string' },
} as const;

/** The target flags as parsed. */
export interface TargetFlags {
  readonly 'api-url'?: string;
  readonly outputs?: string;
  readonly dir?: string;
  readonly region?: string;
}

/** A deployed stack: its region and outputs (every stack of the outputs file, merged). */
export interface RemoteStack {
  readonly region: string;
  readonly outputs: Readonly<Record<string, string>>;
}

/** A resolved target: the local runtime or a deployed stack. */
export interface Target {
  readonly api: SwitchboardApiClient;
  /** Set when the target is the local runtime. */
  readonly local?: LocalJson;
  /** Set when the target is a deployed stack. */
  readonly remote?: RemoteStack;
}

/** Thrown for a usage mistake or a missing setting; the CLI prints its message and exits 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The environment variable naming a stack outputs file, for when `--outputs` is not given. */
export const STACK_OUTPUTS_ENV = 'SWITCHBOARD_STACK_OUTPUTS';

/** Resolves the target from the parsed flags. */
export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): Target {
  const outputsFile = flags.outputs ?? env[STACK_OUTPUTS_ENV];
  if (flags['api-url'] || outputsFile) {
    const outputs = outputsFile ? readStackOutputs(outputsFile) : {};
    const apiUrl = flags['api-url'] ?? outputs.ApiUrl;
    const region =
      flags.region ??
      env.AWS_REGION ??
      env.AWS_DEFAULT_REGION ??
      regionOf(apiUrl) ??
      regionOf(outputs.OutboundQueueUrl);
    if (!region) {
      throw new UsageError(
        `${flags['api-url'] ? '--api-url' : '--outputs'} needs --region (or AWS_REGION) to sign requests`,
      );
    }
    const remote: RemoteStack = { region, outputs: apiUrl ? { ...outputs, ApiUrl: apiUrl } : outputs };
    // The SDK's default credential chain, as resolved by any client (env, profile, SSO, role).
    const credentials = new SQSClient({ region }).config.credentials;
    const api = apiUrl
      ? new SwitchboardApiClient({ baseUrl: apiUrl, sign: sigV4Signer({ region, credentials }) })
      : undefined;
    return {
      // Only the commands that call the API need ApiUrl (dlq and inbound do not).
      get api(): SwitchboardApiClient {
        if (!api) throw new UsageError(`${outputsFile} has no ApiUrl output; pass --api-url`);
        return api;
      },
      remote,
    };
  }
  const local = readLocalJson(flags.dir ?? process.cwd());
  return { api: new SwitchboardApiClient({ baseUrl: local.httpUrl }), local };
}

/** An SQS client for the local runtime's fauxqs. */
export function localSqs(local: LocalJson): SQSClient {
  return new SQSClient({ region: local.region, endpoint: local.sqsEndpoint, credentials: LOCAL_CREDENTIALS });
}

/** An output of the deployed stack, or a UsageError saying which one is missing and what it is for. */
export function requireOutput(remote: RemoteStack, key: string, what: string): string {
  const value = remote.outputs[key];
  if (!value) {
    throw new UsageError(
      `${what} needs the stack output ${key}: pass --outputs <the file cdk deploy --outputs-file wrote>`,
    );
  }
  return value;
}

/** A queue and its dead-letter queue. */
export interface QueuePair {
  readonly url: string;
  readonly dlqUrl: string;
}

/** The stack output holding a queue's URL, e.g. `SmsQueueUrl`. */
export const queueUrlOutput = (key: QueueKey): string => `${key[0]?.toUpperCase()}${key.slice(1)}QueueUrl`;

/**
 * Finds a deployed queue and its DLQ: the queue's URL from `--queue-url key=URL` or the stack
 * output `<Key>QueueUrl`; the DLQ from the queue's own redrive policy (so only source queue URLs
 * need publishing). Undefined when the queue's URL is not known.
 */
export async function remoteQueue(
  sqs: SQSClient,
  remote: RemoteStack,
  key: QueueKey,
  overrides: Readonly<Record<string, string>> = {},
): Promise<QueuePair | undefined> {
  const url = overrides[key] ?? remote.outputs[queueUrlOutput(key)];
  if (!url) return undefined;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }),
  );
  const arn = Attributes?.RedrivePolicy
    ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
    : undefined;
  if (!arn) throw new UsageError(`the ${key} queue (${url}) has no dead-letter queue in its redrive policy`);
  // arn:aws:sqs:<region>:<account>:<name>
  const [, , , , account, name] = arn.split(':');
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: name, ...(account ? { QueueOwnerAWSAccountId: account } : {}) }),
  );
  if (!QueueUrl) throw new UsageError(`the ${key} queue's dead-letter queue ${arn} was not found`);
  return { url, dlqUrl: QueueUrl };
}

/** Every queue key, in definition order. */
export const QUEUE_KEYS = queues.map((q) => q.key) as QueueKey[];

/**
 * Reads a stack outputs file: `{ "<stack>": { "<OutputKey>": "<value>" } }` as `cdk deploy
 * --outputs-file` writes it (both Switchboard stacks of one stage), or one flat object of outputs.
 */
export function readStackOutputs(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the stack outputs ${file}: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new UsageError(`${file} is not a stack outputs file (a JSON object)`);
  const merged: Record<string, string> = {};
  const add = (key: string, value: unknown, stack: string) => {
    if (typeof value !== 'string') return;
    if (merged[key] !== undefined && merged[key] !== value) {
      throw new UsageError(
        `${file} holds more than one stack with the output ${key} (${stack}): keep one stage's stacks`,
      );
    }
    merged[key] = value;
  };
  for (const [key, value] of Object.entries(parsed)) {
    if (isRecord(value)) for (const [inner, v] of Object.entries(value)) add(inner, v, key);
    else add(key, value, '(top level)');
  }
  return merged;
}

/** The region in an AWS endpoint URL (API Gateway, SQS, Lambda function URL), if it has one. */
function regionOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const host = new URL(url).hostname;
    return (
      /\.(?:execute-api|sqs|lambda-url)\.([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(`.${host}`)?.[1] ??
      /^sqs\.([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(host)?.[1]
    );
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
