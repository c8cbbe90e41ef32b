import type { SQSEvent } from 'aws-lambda';
import type { ChannelSender } from '../../functions/domain/ports';
import { chaosRun, reportRow } from '../helpers/chaos';

/** Small runs: each only has to show that one planted defect fails the reconciliation. */
const PROOF_N = 10;

// The reconciliation is only worth something if it fails when the system misbehaves: these plant a
// lost message and a double send into a real end-to-end run and expect exactly that finding.
describe('Chaos: the reconciliation catches planted defects end to end', () => {
  it('fails with one missing request when the router acknowledges a record without handling it', async () => {
    // Prepare: the first record the router sees is acknowledged (deleted) unhandled.
    const started = Date.now();
    let dropped: string | undefined;
    const wrapHandler = <H extends (...args: never[]) => Promise<unknown>>(file: string, handler: H): H => {
      if (file !== 'route-messages') return handler;
      return (async (event: SQSEvent, ...rest: unknown[]) => {
        let records = event.Records;
        if (!dropped && records.length > 0) {
          dropped = (JSON.parse(records[0]?.body ?? '{}') as { requestId: string }).requestId;
          records = records.slice(1);
        }
        return (handler as unknown as (event: SQSEvent, ...rest: unknown[]) => Promise<unknown>)(
          { Records: records },
          ...rest,
        );
      }) as unknown as H;
    };

    // Act
    const result = await chaosRun({ wrapHandler }, undefined, { n: PROOF_N });
    reportRow({
      scenario: 'planted: one request dropped by the router',
      result,
      injected: 'dropped ×1',
      seconds: (Date.now() - started) / 1000,
    });

    // Assess
    expect(result.reconciliation.ok).toBe(false);
    expect(result.reconciliation.findings).toEqual([
      expect.objectContaining({ kind: 'missing', requestId: dropped }),
    ]);
  });

  it('fails with one duplicate when an attempt reaches the provider twice outside the crash window', async () => {
    // Prepare: the first SMS send goes to the provider twice.
    const started = Date.now();
    let doubled: string | undefined;
    const wrapSender = (sender: ChannelSender): ChannelSender =>
      sender.channel !== 'sms'
        ? sender
        : {
            channel: sender.channel,
            provider: sender.provider,
            send: async (message) => {
              if (!doubled) {
                doubled = message.messageId;
                await sender.send(message);
              }
              return sender.send(message);
            },
          };

    // Act
    const result = await chaosRun({ wrapSender }, undefined, { n: PROOF_N });
    reportRow({
      scenario: 'planted: one attempt sent twice',
      result,
      injected: 'double send ×1',
      seconds: (Date.now() - started) / 1000,
    });

    // Assess
    expect(result.reconciliation.ok).toBe(false);
    expect(result.reconciliation.findings).toEqual([
      expect.objectContaining({ kind: 'duplicate', messageId: doubled }),
    ]);
    expect(result.reconciliation.duplicatesInCrashWindow).toBe(0);
  });
});
