/**
 * The keyed hash that names addresses in stored keys: HMAC-SHA-256 of `channel:normalised address`
 * under a pepper. A bare SHA-256 of a phone number is reversed by hashing every number in a few
 * seconds; without the pepper nothing can be enumerated.
 *
 * Deployed, the pepper is a generated Secrets Manager secret named by
 * SWITCHBOARD_ADDRESS_PEPPER_SECRET_ARN, read once per container through Powertools Parameters (the
 * pepper never rotates: every stored key depends on it). Locally, when no ARN is set, it is
 * SWITCHBOARD_ADDRESS_PEPPER (the local runtime generates one per run, kept with --persist).
 * SWITCHBOARD_LEGACY_ADDRESS_HASH=read makes lookups also try the plain SHA-256 keys written before
 * keying (docs/deploy.md, "Keyed address hashes").
 */
import { createHmac } from 'node:crypto';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { AddressPepperEnv, ConfigurationError } from '../../config';
import type { Channel } from '../../contract';
import type { AddressKeyer } from '../../domain/ports';

/** Fewest characters a pepper may have (the generated secret has 64). */
const MIN_PEPPER_LENGTH = 32;

/** {@link AddressKeyer} by HMAC-SHA-256 under a pepper resolved once, on first use. */
export class HmacAddressKeyer implements AddressKeyer {
  readonly readsLegacy: boolean;
  readonly #resolve: () => Promise<string>;
  #pepper: Promise<string> | undefined;

  constructor(pepper: string | (() => Promise<string>), options: { readsLegacy?: boolean } = {}) {
    this.#resolve = typeof pepper === 'string' ? async () => pepper : pepper;
    this.readsLegacy = options.readsLegacy ?? false;
  }

  async key(channel: Channel, normalisedAddress: string): Promise<string> {
    const pepper = await this.#pepperOnce();
    return createHmac('sha256', pepper).update(`${channel}:${normalisedAddress}`).digest('hex');
  }

  #pepperOnce(): Promise<string> {
    if (!this.#pepper) {
      const pepper = this.#resolve().then(checkedPepper);
      // A failed read (throttling, a missing grant) is tried again on the next call.
      pepper.catch(() => {
        if (this.#pepper === pepper) this.#pepper = undefined;
      });
      this.#pepper = pepper;
    }
    return this.#pepper;
  }
}

/** The keyer the environment configures: the secret's pepper when an ARN is set, else the local one. */
export function addressKeyerFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  secrets?: SecretsProvider,
): HmacAddressKeyer {
  const legacy = env[AddressPepperEnv.LEGACY];
  if (legacy !== undefined && legacy !== '' && legacy !== 'read' && legacy !== 'off') {
    throw new ConfigurationError(`${AddressPepperEnv.LEGACY} must be "read" or "off"`);
  }
  const readsLegacy = legacy === 'read';
  const arn = env[AddressPepperEnv.SECRET_ARN];
  if (arn) {
    return new HmacAddressKeyer(
      async () => {
        // Read once per keyer and held for the container's life: the pepper never rotates.
        const value = await (secrets ?? new SecretsProvider()).get(arn);
        if (typeof value !== 'string')
          throw new ConfigurationError('The address pepper secret is not a string');
        return value;
      },
      { readsLegacy },
    );
  }
  const local = env[AddressPepperEnv.LOCAL_PEPPER];
  // Checked on first use, not here: functions that never name an address (receipt timeouts) are
  // not given the pepper, and still build the ledger.
  if (!local) {
    return new HmacAddressKeyer(
      async () => {
        throw new ConfigurationError(
          `Set ${AddressPepperEnv.SECRET_ARN} (deployed) or ${AddressPepperEnv.LOCAL_PEPPER} (locally)`,
        );
      },
      { readsLegacy },
    );
  }
  return new HmacAddressKeyer(local, { readsLegacy });
}

function checkedPepper(pepper: string): string {
  if (pepper.length < MIN_PEPPER_LENGTH) {
    throw new ConfigurationError(`The address pepper must have at least ${MIN_PEPPER_LENGTH} characters`);
  }
  return pepper;
}
