import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsJourneyTimers } from '../../../bench/lib/scheduler-stand-in';
import type { LongTimerScheduler } from '../../../functions/adapters/sqs/journey-timer-queue';
import type { JourneyTimerMessage } from '../../../functions/contract';

const HOUR_MS = 3_600_000;

function timerIn(journeyMs: number) {
  return {
    customerId: 'c-1',
    journeyId: 'cart-recovery',
    key: 'cart-1',
    runId: 'r-1',
    token: 't-1',
    at: new Date(Date.now() + journeyMs).toISOString(),
  };
}

function recordingScheduler(): LongTimerScheduler & {
  scheduled: JourneyTimerMessage[];
  cancelled: string[];
} {
  const scheduled: JourneyTimerMessage[] = [];
  const cancelled: string[] = [];
  return {
    scheduled,
    cancelled,
    schedule: async (message) => {
      scheduled.push(message);
    },
    cancel: async (token) => {
      cancelled.push(token);
    },
  };
}

describe('Class: AwsJourneyTimers', () => {
  const sqs = mockClient(SQSClient);
  afterEach(() => sqs.reset());

  it('schedules a wait beyond 15 minutes of journey time, firing at the scaled time', async () => {
    const scheduler = recordingScheduler();
    const timers = new AwsJourneyTimers({
      client: new SQSClient({}),
      queueUrl: 'q',
      scheduler,
      timeScale: 3600,
    });

    await timers.schedule(timerIn(HOUR_MS));

    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(scheduler.scheduled).toHaveLength(1);
    const fireInMs = Date.parse(scheduler.scheduled[0]?.fireAt ?? '') - Date.now();
    expect(fireInMs).toBeGreaterThan(0);
    expect(fireInMs).toBeLessThanOrEqual(1000);
  });

  it('sends a wait within 15 minutes of journey time as one delayed message, scaled', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const scheduler = recordingScheduler();
    const timers = new AwsJourneyTimers({
      client: new SQSClient({}),
      queueUrl: 'q',
      scheduler,
      timeScale: 60,
    });

    await timers.schedule(timerIn(10 * 60_000));

    expect(scheduler.scheduled).toHaveLength(0);
    const [call] = sqs.commandCalls(SendMessageCommand);
    expect(call?.args[0].input.DelaySeconds).toBe(10);
  });

  it('deletes the schedule of the token on every cancel', async () => {
    const scheduler = recordingScheduler();
    const timers = new AwsJourneyTimers({
      client: new SQSClient({}),
      queueUrl: 'q',
      scheduler,
      timeScale: 1,
    });

    await timers.cancel('t-1');

    expect(scheduler.cancelled).toEqual(['t-1']);
  });
});
