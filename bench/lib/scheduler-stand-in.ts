/**
 * EventBridge Scheduler as the journey engine uses it on AWS, stood in for in-process: no local
 * emulator serves it (fauxqs is SQS/SNS, DynamoDB Local is DynamoDB), and the engine's timers on
 * the local runtime ride the SQS delay chain instead. The bench needs the AWS path's requests, so:
 *
 * - {@link AwsJourneyTimers} takes the decision the engine takes on AWS (it is JourneyTimerQueue with
 *   `longTimers`): a wait longer than SQS's 15-minute delay in JOURNEY time becomes a one-time
 *   schedule, a shorter one a delayed SQS message; every cancel is a DeleteSchedule. (On the local
 *   runtime, SWITCHBOARD_TIME_SCALE shortens every wait below 15 minutes, so JourneyTimerQueue
 *   itself would never pick the scheduler.)
 * - {@link SchedulerStandIn} counts CreateSchedule and DeleteSchedule as the calls AWS would
 *   receive, and at the (time-scaled) fire time counts the schedule's invocation and sends the timer
 *   message to the journey-timers queue as the schedule's SQS target would (one SendMessage, billed
 *   to the queue on AWS, so counted as SQS). A deleted schedule never fires, as on AWS.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { JourneyTimerQueue, type LongTimerScheduler } from '../../functions/adapters/sqs/journey-timer-queue';
import { sqsJson } from '../../functions/adapters/sqs/sqs-json';
import type { JourneyTimerMessage } from '../../functions/contract';
import type { RequestCounter } from './aws-requests';
import { SCHEDULER_INVOCATION } from './cost';

/** Options of {@link SchedulerStandIn}. */
export interface SchedulerStandInOptions {
  /** A client the counter ignores: the target's SendMessage is counted by the stand-in itself. */
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly counter: RequestCounter;
  /** Target sends in flight at most (a burst of 100,000 firing timers must not flood fauxqs). */
  readonly maxInFlight?: number;
}

/** One-time schedules that delete themselves after firing, in memory. */
export class SchedulerStandIn implements LongTimerScheduler {
  readonly #options: SchedulerStandInOptions;
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #due: JourneyTimerMessage[] = [];
  #inFlight = 0;
  #fired = 0;

  constructor(options: SchedulerStandInOptions) {
    this.#options = options;
  }

  async schedule(message: JourneyTimerMessage): Promise<void> {
    this.#options.counter.record('Scheduler', 'CreateSchedule');
    // Names are unique per group: the same token again is a ConflictException, one schedule.
    if (this.#pending.has(message.token)) return;
    const delay = Math.max(0, Date.parse(message.fireAt) - Date.now());
    this.#pending.set(
      message.token,
      setTimeout(() => this.#fire(message), delay),
    );
  }

  async cancel(token: string): Promise<void> {
    this.#options.counter.record('Scheduler', 'DeleteSchedule');
    const timer = this.#pending.get(token);
    if (timer !== undefined) clearTimeout(timer);
    this.#pending.delete(token);
  }

  /** Schedules not yet fired (or being delivered). */
  get pending(): number {
    return this.#pending.size + this.#due.length + this.#inFlight;
  }

  /** Schedules that fired and were delivered. */
  get fired(): number {
    return this.#fired;
  }

  /** Forgets every pending schedule (the bench is over). */
  stop(): void {
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
    this.#due.length = 0;
  }

  #fire(message: JourneyTimerMessage): void {
    this.#pending.delete(message.token);
    this.#due.push(message);
    this.#drain();
  }

  #drain(): void {
    const limit = this.#options.maxInFlight ?? 16;
    while (this.#inFlight < limit && this.#due.length > 0) {
      const message = this.#due.shift() as JourneyTimerMessage;
      this.#inFlight += 1;
      this.#deliver(message).finally(() => {
        this.#inFlight -= 1;
        this.#drain();
      });
    }
  }

  async #deliver(message: JourneyTimerMessage): Promise<void> {
    // The schedule's retry policy: keep trying until the queue takes it.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.#options.sqs.send(
          new SendMessageCommand({ QueueUrl: this.#options.queueUrl, MessageBody: sqsJson(message) }),
        );
        this.#options.counter.record('Scheduler', SCHEDULER_INVOCATION);
        this.#options.counter.record('SQS', 'SendMessage (schedule target)');
        this.#fired += 1;
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      }
    }
  }
}

/** Options of {@link AwsJourneyTimers}. */
export interface AwsJourneyTimersOptions {
  /** The runtime's client and timers queue (short waits: one delayed message, as on AWS). */
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly scheduler: LongTimerScheduler;
  /** SWITCHBOARD_TIME_SCALE of this run. */
  readonly timeScale: number;
}

/**
 * The engine's timers port routed as on AWS: JourneyTimerQueue with `longTimers` takes the
 * 15-minute decision, and at a scale of 1 takes it on journey time; the run's time scale is applied
 * after it, to when the schedule or the delayed message fires (see the file's comment).
 */
export class AwsJourneyTimers extends JourneyTimerQueue {
  readonly #timeScale: number;

  constructor(options: AwsJourneyTimersOptions) {
    const { scheduler, timeScale } = options;
    super({
      client: options.client,
      queueUrl: options.queueUrl,
      longTimers: {
        schedule: (message) => scheduler.schedule(scaled(message, timeScale)),
        cancel: (token) => scheduler.cancel(token),
      },
    });
    this.#timeScale = timeScale;
  }

  /** A short timer (journey time in `fireAt`, as JourneyTimerQueue.schedule made it) on the queue, scaled. */
  override async delayAgain(message: JourneyTimerMessage): Promise<void> {
    await super.delayAgain(scaled(message, this.#timeScale));
  }
}

/** A timer message whose `fireAt` in journey time is brought to the run's real time. */
function scaled(message: JourneyTimerMessage, timeScale: number): JourneyTimerMessage {
  const now = Date.now();
  const journeyMs = Math.max(0, Date.parse(message.fireAt) - now);
  return { ...message, fireAt: new Date(now + journeyMs / timeScale).toISOString() };
}
