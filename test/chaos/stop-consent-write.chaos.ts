import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsentStore } from '../../functions/domain/ports';
import type { WebhookUseCases } from '../../functions/domain/webhook-use-cases';
import { N, tapEvents } from '../helpers/chaos';
import { isolatedResources, testClients } from '../helpers/emulators';
import { aCustomer } from '../helpers/factories';
import { twilioFixtures, twilioRequest } from '../helpers/webhook-requests';
import { aMessageSid, TestClock, webhookSystem } from '../helpers/webhook-system';

const INBOUND = '/webhooks/twilio/inbound';
/** Customers who each text STOP (webhook requests are cheap; the stream relays them all). */
const STOPS = Math.min(N, 20);

/** A consent store whose first `setConsent` for each customer fails, after the inbound record. */
function failingFirstConsentWrite(failed: Set<string>) {
  return (store: ConsentStore): ConsentStore => ({
    findByAddress: (...args) => store.findByAddress(...args),
    get: (...args) => store.get(...args),
    markAddressInvalid: (...args) => store.markAddressInvalid(...args),
    openWhatsAppWindow: (...args) => store.openWhatsAppWindow(...args),
    setConsent: (customerId, ...rest) => {
      if (failed.has(customerId)) return store.setConsent(customerId, ...rest);
      failed.add(customerId);
      return Promise.reject(new Error('injected: DynamoDB unavailable'));
    },
  });
}

/** The planted defect: a second delivery of an inbound callback is called a duplicate unhandled. */
function retryTreatedAsDuplicate(useCases: WebhookUseCases): WebhookUseCases {
  const seen = new Set<string>();
  return {
    ...useCases,
    receiveInbound: async (receipt) => {
      if (seen.has(receipt.providerMessageId)) return 'duplicate';
      seen.add(receipt.providerMessageId);
      return useCases.receiveInbound(receipt);
    },
  };
}

/** STOP from {@link STOPS} customers, each first try failing its consent write, each retried once. */
async function stopRun(wrapUseCases?: (useCases: WebhookUseCases) => WebhookUseCases) {
  const clients = testClients();
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  const resources = await isolatedResources();
  const tap = await tapEvents(resources);
  const failed = new Set<string>();
  const system = webhookSystem(resources, clients, new TestClock(new Date()), {
    wrapConsent: failingFirstConsentWrite(failed),
    ...(wrapUseCases ? { wrapUseCases } : {}),
  });
  const customers = Array.from({ length: STOPS }, () => aCustomer());
  const statuses: number[] = [];
  try {
    for (const customer of customers) {
      await system.router.store.put(customer);
      const stop = twilioRequest(
        INBOUND,
        twilioFixtures.inboundSms('STOP', { From: customer.addresses.sms!, MessageSid: aMessageSid() }),
      );
      // The first try fails (5xx), Twilio retries the same request.
      const first = await system.twilio(stop);
      const retry = await system.twilio(stop);
      statuses.push(first.statusCode ?? 0, retry.statusCode ?? 0);
    }
    const received = (await tap.drain()) as { type: string; eventId?: string; customerId?: string }[];
    // The reconciliation: per customer, the stored consent and the distinct consent events received.
    const findings: string[] = [];
    for (const customer of customers) {
      const profile =
        (
          await documents.send(
            new GetCommand({
              TableName: resources.tables.customers,
              Key: { pk: `customer#${customer.customerId}` },
            }),
          )
        ).Item ?? {};
      const stored = (profile.consent as Record<string, { status?: string }> | undefined)?.['marketing#sms'];
      if (stored?.status !== 'opted_out') findings.push(`${customer.customerId}: opt-out not stored`);
      const events = new Set(
        received
          .filter(
            (event) => event.type === 'customer.consent_changed' && event.customerId === customer.customerId,
          )
          .map((event) => event.eventId),
      );
      if (events.size !== 1) findings.push(`${customer.customerId}: ${events.size} consent events, not 1`);
    }
    return { findings, statuses, failed: failed.size };
  } finally {
    tap.close();
    await system.stop();
    clients.destroy();
  }
}

describe('Chaos: the consent write fails after the inbound STOP was recorded', () => {
  it("stores every opt-out on the provider's retry and publishes exactly one consent event each", async () => {
    // Act
    const started = Date.now();
    const { findings, statuses, failed } = await stopRun();
    console.log(
      `| STOP's consent write fails once after the inbound record (×${failed}); Twilio retries | ${STOPS} | ${findings.length === 0 ? 'reconciled' : 'FAILED'} | ${((Date.now() - started) / 1000).toFixed(0)} s |`,
    );

    // Assess
    expect(failed).toBe(STOPS);
    expect(statuses.filter((status) => status === 500)).toHaveLength(STOPS);
    expect(findings).toEqual([]);
  });

  it('fails the reconciliation when the use case treats the retry as a duplicate (planted)', async () => {
    // Act
    const { findings } = await stopRun(retryTreatedAsDuplicate);

    // Assess: every customer's opt-out is lost, and no consent event went out.
    expect(findings).toHaveLength(2 * STOPS);
  });
});
