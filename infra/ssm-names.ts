/**
 * SSM parameter paths the stacks publish for other services: `/switchboard/<stage>/<name>`.
 * Another CDK app reads them with `ssm.StringParameter.valueForStringParameter(this, path)`.
 */

/** Names of the published parameters, under the stage's path. */
export const PublishedParameter = {
  OUTBOUND_QUEUE_URL: 'outbound-queue-url',
  OUTBOUND_QUEUE_ARN: 'outbound-queue-arn',
  TOUCHPOINTS_QUEUE_URL: 'touchpoints-queue-url',
  TOUCHPOINTS_QUEUE_ARN: 'touchpoints-queue-arn',
  EVENTS_TOPIC_ARN: 'events-topic-arn',
  PUBLISHER_POLICY_ARN: 'publisher-policy-arn',
  API_URL: 'api-url',
  TWILIO_STATUS_WEBHOOK_URL: 'webhooks/twilio-status-url',
  TWILIO_INBOUND_WEBHOOK_URL: 'webhooks/twilio-inbound-url',
  SENDGRID_EVENTS_WEBHOOK_URL: 'webhooks/sendgrid-events-url',
  SENDGRID_INBOUND_WEBHOOK_URL: 'webhooks/sendgrid-inbound-url',
  INGEST_URL: 'ingest-url',
  LINKS_BASE_URL: 'links-base-url',
} as const;

/** Full SSM parameter name of a published value for a stage. */
export const ssmParameterName = (stage: string, name: string): string => `/switchboard/${stage}/${name}`;
