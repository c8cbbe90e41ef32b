import { contactIdOf, suppressionKey } from '../../../functions/adapters/dynamodb/address-keys';
import { normaliseAddress } from '../../../functions/adapters/dynamodb/customers-table';
import { addressKeyerFromEnv } from '../../../functions/adapters/secrets/keyed-hash';
import type { Customer } from '../../../functions/contract';
import { localInboundParseSecret } from '../../../local/inbound-secret';
import type { LocalRuntime } from '../../../local/runtime';
import { simulateSendGridInbound, simulateTwilioInbound } from '../../../local/simulate-inbound';
import { testClients } from '../../helpers/emulators';
import { aCustomer, aMobileNumber, consent } from '../../helpers/factories';
import { startTestRuntime } from '../../helpers/local-runtime';
import {
  everyStoredItem,
  type KnownAddress,
  plainAddressHashesStored,
} from '../../helpers/plain-address-hashes';
import { anAnonymousId, anIdentifyEvent, aTrackEvent } from '../../helpers/touchpoints';

jest.setTimeout(60_000);

describe('Local runtime: keyed address hashes', () => {
  const clients = testClients();
  let runtime: LocalRuntime;
  let tables: string[];

  beforeAll(async () => {
    runtime = await startTestRuntime({ handlers: ['api', 'twilio-webhook', 'sendgrid-webhook'] });
    tables = [runtime.localJson.tables.customers, runtime.localJson.tables.messages];
  });
  afterAll(async () => {
    await runtime?.stop();
    clients.destroy();
  });

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(new URL(path, runtime.localJson.httpUrl), {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async function putCustomer(customer: Customer): Promise<void> {
    const response = await call('PUT', `/v1/customers/${customer.customerId}`, customer);
    expect([200, 201]).toContain(response.status);
  }

  function twilioInbound(channel: 'sms' | 'whatsapp', from: string, text: string) {
    return simulateTwilioInbound({
      httpUrl: runtime.localJson.httpUrl,
      authToken: runtime.localJson.sandbox.twilioAuthToken,
      channel,
      from,
      text,
    });
  }

  function emailInbound(from: string, text: string) {
    return simulateSendGridInbound({
      httpUrl: runtime.localJson.httpUrl,
      from,
      text,
      inboundParseSecret: localInboundParseSecret(runtime.localJson.sandbox.twilioAuthToken),
    });
  }

  it('stores no plain SHA-256 of any address after profiles, a STOP, erasure, unknown senders and touchpoints', async () => {
    // Prepare
    const kept = aCustomer();
    const erased = aCustomer({ consent: { marketing: { sms: consent('opted_in') } } });
    const strangerPhone = aMobileNumber();
    const strangerWhatsApp = aMobileNumber();
    const strangerEmail = `stranger-${anAnonymousId().slice(0, 8)}@example.com`;
    const anonymousId = anAnonymousId();
    const identifiedEmail = `identified-${anonymousId.slice(0, 8)}@example.com`;
    const identifiedPhone = aMobileNumber();
    await putCustomer(kept);
    await putCustomer(erased);

    // Act
    const answers = [
      (await twilioInbound('sms', erased.addresses.sms as string, 'STOP')).status,
      (await emailInbound(erased.addresses.email as string, 'unsubscribe')).status,
      (await twilioInbound('sms', strangerPhone, 'Who is this?')).status,
      (await twilioInbound('whatsapp', strangerWhatsApp, 'Hello?')).status,
      (await emailInbound(strangerEmail, 'Do you ship to Lyon?')).status,
      (await call('POST', '/v1/events', aTrackEvent({ anonymousId }))).status,
      (
        await call(
          'POST',
          '/v1/events',
          anIdentifyEvent({
            anonymousId,
            userId: kept.customerId,
            traits: { email: identifiedEmail, phone: identifiedPhone },
          }),
        )
      ).status,
      (await call('DELETE', `/v1/customers/${erased.customerId}`)).status,
    ];
    const again = aCustomer({ addresses: { sms: erased.addresses.sms as string } });
    await putCustomer(again);

    // Assess: every flow ran, and wrote the address-named items the scan must look through.
    expect(answers).toEqual([200, 200, 200, 200, 200, 202, 202, 204]);
    const keyer = addressKeyerFromEnv();
    const pks = new Set((await everyStoredItem(clients, tables)).map(({ item }) => String(item.pk)));
    const phone = normaliseAddress('sms', erased.addresses.sms as string);
    expect(pks).toContain(await suppressionKey(keyer, 'sms', phone));
    expect(pks).toContain(`contact#${await contactIdOf(keyer, 'sms', strangerPhone)}`);
    expect(pks).toContain(`contact#${await contactIdOf(keyer, 'whatsapp', strangerWhatsApp)}`);
    expect(pks).toContain(`contact#${await contactIdOf(keyer, 'email', strangerEmail)}`);
    expect([...pks].some((pk) => pk.startsWith('address#sms#'))).toBe(true);
    expect([...pks].some((pk) => pk.startsWith('anonymous#'))).toBe(true);
    const recreated = (await (await call('GET', `/v1/customers/${again.customerId}`)).json()) as Customer;
    expect(recreated.consent.marketing?.sms).toMatchObject({ status: 'opted_out', source: 'suppression' });
    // Assess: no plain hash of any of those addresses, in any key or attribute of either table.
    const known: KnownAddress[] = [
      ...[kept, erased].flatMap((customer) => [
        { channel: 'sms' as const, address: customer.addresses.sms as string },
        { channel: 'whatsapp' as const, address: customer.addresses.whatsapp as string },
        { channel: 'email' as const, address: customer.addresses.email as string },
      ]),
      { channel: 'sms', address: strangerPhone },
      { channel: 'whatsapp', address: strangerWhatsApp },
      { channel: 'email', address: strangerEmail },
      { channel: 'email', address: identifiedEmail },
      { channel: 'sms', address: identifiedPhone },
    ];
    expect(await plainAddressHashesStored(clients, tables, known)).toEqual([]);
  });
});
