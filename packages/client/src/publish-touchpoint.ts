/**
 * Publishing touchpoint events (Segment-spec track / identify / page) to Switchboard's touchpoints
 * queue, validated first so that a bad event fails in the publisher's code and is never sent.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsJson } from '../../../functions/adapters/sqs/sqs-json';
import {
  ContractValidationError,
  safeParseWith,
  type TouchpointEventInput,
  TouchpointEventSchema,
} from '../../../functions/contract';

/** Where to publish touchpoint events. */
export interface TouchpointPublishOptions {
  /** URL of Switchboard's touchpoints queue (stack output `TouchpointsQueueUrl`). */
  readonly queueUrl: string;
  /** An SQS client; the caller owns its region, credentials and lifetime. */
  readonly client: SQSClient;
}

/** An event without `type`, and with `messageId` optional (a random UUID when absent, as Segment's clients do). */
export type EventFields<T extends TouchpointEventInput['type']> = Omit<
  TouchpointEventInput,
  'type' | 'messageId'
> & {
  readonly messageId?: string;
} & (T extends 'track' ? { readonly event: string } : object);

/** Validates one event and sends it to the touchpoints queue; returns its messageId. */
export async function publishTouchpoint(
  event: TouchpointEventInput,
  options: TouchpointPublishOptions,
): Promise<string> {
  const parsed = safeParseWith(TouchpointEventSchema, event);
  if (!parsed.success) throw new ContractValidationError('touchpoint event', parsed.issues);
  await options.client.send(
    new SendMessageCommand({
      QueueUrl: options.queueUrl,
      MessageBody: sqsJson(event),
      MessageAttributes: { messageId: { DataType: 'String', StringValue: parsed.data.messageId } },
    }),
  );
  return parsed.data.messageId;
}

/** Publishes a `track` event: something the customer did. Returns its messageId. */
export function trackEvent(fields: EventFields<'track'>, options: TouchpointPublishOptions): Promise<string> {
  return publishTouchpoint(
    { ...fields, type: 'track', messageId: fields.messageId ?? randomUUID() },
    options,
  );
}

/** Publishes an `identify` event: who the customer is (and, with an anonymousId, whose history to stitch). */
export function identify(
  fields: EventFields<'identify'>,
  options: TouchpointPublishOptions,
): Promise<string> {
  return publishTouchpoint(
    { ...fields, type: 'identify', messageId: fields.messageId ?? randomUUID() },
    options,
  );
}
