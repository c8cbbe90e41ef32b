/**
 * Deleting an erased customer's pending schedules. EventBridge Scheduler does not run locally, so a
 * recording client checks the requests the adapter sends and how it reads the service's answers;
 * the local delay-chain path is tested end to end in test/integration/erasure.test.ts.
 */
import {
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import {
  EventBridgeScheduleCanceller,
  scheduleName,
} from '../../../functions/adapters/scheduler/eventbridge-delivery-scheduler';

/** A scheduler client that records each command and answers "not found" for the given names. */
function aRecordingClient(missing: readonly string[] = [], failWith?: Error) {
  const sent: DeleteScheduleCommand[] = [];
  const client = {
    send: async (command: DeleteScheduleCommand) => {
      sent.push(command);
      if (failWith) throw failWith;
      if (missing.includes(command.input.Name ?? '')) {
        throw new ResourceNotFoundException({
          message: 'Schedule not found',
          Message: 'Schedule not found',
          $metadata: {},
        });
      }
      return { $metadata: {} };
    },
  };
  return { client: client as unknown as SchedulerClient, sent };
}

describe('Class: EventBridgeScheduleCanceller', () => {
  it('deletes each key’s schedule by the name the scheduler gave it, in the stage’s group', async () => {
    // Prepare
    const { client, sent } = aRecordingClient();
    const canceller = new EventBridgeScheduleCanceller({ client, groupName: 'switchboard-test' });

    // Act
    const deleted = await canceller.cancel(['msg_1', 'msg_2-2', 'msg_1']);

    // Assess
    expect(deleted).toBe(2);
    expect(sent.every((command) => command instanceof DeleteScheduleCommand)).toBe(true);
    expect(sent.map((command) => command.input)).toEqual([
      { Name: scheduleName('msg_1'), GroupName: 'switchboard-test' },
      { Name: scheduleName('msg_2-2'), GroupName: 'switchboard-test' },
    ]);
    expect(scheduleName('msg_1')).toBe('switchboard-msg_1');
  });

  it('counts a schedule that already ran or never existed as gone, not as an error', async () => {
    // Prepare
    const { client } = aRecordingClient([scheduleName('msg_ran')]);
    const canceller = new EventBridgeScheduleCanceller({ client });

    // Act
    const deleted = await canceller.cancel(['msg_ran', 'msg_pending']);

    // Assess
    expect(deleted).toBe(1);
  });

  it('fails the erase on any other error, so that a retry deletes what is left', async () => {
    // Prepare
    const { client } = aRecordingClient(
      [],
      new ValidationException({ message: 'bad', Message: 'bad', $metadata: {} }),
    );
    const canceller = new EventBridgeScheduleCanceller({ client });

    // Act
    const cancelling = canceller.cancel(['msg_1']);

    // Assess
    await expect(cancelling).rejects.toBeInstanceOf(ValidationException);
  });
});
