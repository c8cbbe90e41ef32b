/**
 * Frequency caps' configuration (docs/customers-and-routing.md, "Frequency caps") from the
 * environment, read once and checked like functions/config.ts: `SWITCHBOARD_FREQUENCY_CAPS`, a JSON
 * array of caps (domain/routing/frequency-caps.ts), e.g.
 * `[{"categories":["marketing"],"channel":"any","max":3,"per":"P7D","overflow":"defer"}]`.
 * Unset or `[]`: nothing is capped, and the router makes no request for caps.
 */
import { ConfigurationError } from './config';
import { type FrequencyCap, FrequencyCapsSchema } from './domain/routing/frequency-caps';

/** The environment variable holding the caps. */
export const FREQUENCY_CAPS_ENV = 'SWITCHBOARD_FREQUENCY_CAPS';

/** The configured caps; throws naming the variable and the problem when they are malformed. */
export function frequencyCapsFromEnv(env: NodeJS.ProcessEnv = process.env): FrequencyCap[] {
  const raw = env[FREQUENCY_CAPS_ENV];
  if (raw === undefined || raw.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigurationError(`Environment variable ${FREQUENCY_CAPS_ENV} must be a JSON array of caps`);
  }
  const parsed = FrequencyCapsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `[${issue.path.join('.')}] ${issue.message}`);
    throw new ConfigurationError(
      `Environment variable ${FREQUENCY_CAPS_ENV} has invalid caps: ${problems.join('; ')}`,
    );
  }
  return parsed.data;
}
