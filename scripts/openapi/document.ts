/**
 * The OpenAPI 3.1 description of Switchboard's HTTP API, generated from the zod contract (run
 * `npm run schemas`; schemas/openapi.json is committed and a test fails when it drifts). Lives in
 * scripts/, so zod-openapi never reaches a Lambda bundle.
 */
import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';
import {
  ApiErrorBodySchema,
  ConsentChangeSchema,
  CustomerBodySchema,
  CustomerSchema,
  FieldIssueSchema,
  MessageAcceptedSchema,
  MessageRequestSchema,
  TimelinePageSchema,
  TouchpointEventSchema,
  TouchpointsAcceptedSchema,
} from '../../functions/contract';
import { API_ROUTES, WEBHOOK_ROUTES } from '../../infra/routes';
import { templateOrContent, touchpointEventRules } from '../json-schemas';
import { API_OPERATIONS } from './api-operations';
import { CLICK_OPERATION, CLICK_PATH } from './click-operation';
import { INGEST_OPERATIONS } from './ingest-operations';
import { WEBHOOK_OPERATIONS } from './webhook-operations';

/** The document's file name under schemas/. */
export const OPENAPI_FILE = 'openapi.json';

/** The document's version: the package's, so a release names the API it serves. */
const VERSION: string = require('../../package.json').version;

/** Builds the OpenAPI document of the `/v1` API and the provider webhooks. */
export function openApiDocument(): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of API_ROUTES) {
    for (const method of route.methods) {
      const operation = API_OPERATIONS[`${method} ${route.path}`];
      if (!operation)
        throw new Error(`No description of ${method} ${route.path} in scripts/openapi/api-operations.ts`);
      paths[route.path] = {
        ...paths[route.path],
        [method.toLowerCase()]: { security: [{ awsSigV4: [] }], ...operation },
      };
    }
  }
  for (const route of WEBHOOK_ROUTES) {
    const operation = WEBHOOK_OPERATIONS[route.path];
    if (!operation)
      throw new Error(`No description of POST ${route.path} in scripts/openapi/webhook-operations.ts`);
    paths[route.path] = { post: operation };
  }
  for (const [path, operation] of Object.entries(INGEST_OPERATIONS)) paths[path] = { post: operation };
  paths[CLICK_PATH] = { get: CLICK_OPERATION };
  const document = createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard HTTP API',
        version: VERSION,
        summary: 'Customers, consent, timelines, messages, reports and journeys; provider webhooks.',
        description:
          "The `/v1` routes are IAM-authorised on AWS (requests signed with AWS Signature Version 4) and open on 127.0.0.1 in the local runtime (`npm start`). Invalid input answers 400 with one issue per field. The webhooks are public and authenticated by the provider's signature or, for Inbound Parse, a secret in the URL.",
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [
        {
          url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
          description: 'AWS: the stack output `HttpApiUrl`.',
          variables: { apiId: { default: 'abcdef1234' }, region: { default: 'us-east-1' } },
        },
        {
          url: 'http://127.0.0.1:{port}',
          description: 'The local runtime: `httpUrl` in .switchboard/local.json.',
          variables: { port: { default: '4000' } },
        },
      ],
      tags: [
        { name: 'Customers', description: 'Profiles, consent and the timeline.' },
        { name: 'Messages', description: 'Sending.' },
        {
          name: 'Events',
          description: 'Touchpoints: what customers do on the web, in the app, in a store (Segment spec).',
        },
        {
          name: 'Reports',
          description: 'Attribution: which messages brought conversions (docs/attribution.md).',
        },
        {
          name: 'Journeys',
          description: 'The deployed journeys, their counts, and cancelling runs (docs/journeys.md).',
        },
        { name: 'Webhooks', description: 'Called by Twilio and SendGrid, never by clients.' },
        { name: 'Links', description: 'Short links in messages, followed by customers (docs/links.md).' },
      ],
      paths,
      components: {
        schemas: {
          Customer: CustomerSchema,
          CustomerBody: CustomerBodySchema,
          ConsentChange: ConsentChangeSchema,
          MessageRequest: MessageRequestSchema,
          MessageAccepted: MessageAcceptedSchema,
          TouchpointEvent: TouchpointEventSchema,
          TouchpointsAccepted: TouchpointsAcceptedSchema,
          TimelinePage: TimelinePageSchema,
          ApiError: ApiErrorBodySchema,
          FieldIssue: FieldIssueSchema,
        },
        securitySchemes: {
          awsSigV4: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description:
              'AWS Signature Version 4 (IAM authorisation): sign each request for the `execute-api` service with credentials allowed `execute-api:Invoke` on the API; the client in functions/client/ and the CLI do this. Not required by the local runtime.',
            'x-amazon-apigateway-authtype': 'awsSigv4',
          },
          twilioSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Twilio-Signature',
            description:
              "Base64 HMAC-SHA1, keyed by the account's auth token, of the full URL followed by the sorted form parameters.",
          },
          sendgridSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Twilio-Email-Event-Webhook-Signature',
            description:
              "Base64 ECDSA (P-256, SHA-256) signature of the timestamp followed by the raw body, checked with the Event Webhook's verification key.",
          },
          sendgridTimestamp: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Twilio-Email-Event-Webhook-Timestamp',
            description: 'Unix seconds; signed with the body, refused outside the tolerance.',
          },
          writeKeyBasic: {
            type: 'http',
            scheme: 'basic',
            description:
              'A write key (`switchboard sources create`) as the user name, with an empty password, as Segment clients send it; or, without this header, `writeKey` in the JSON body.',
          },
          inboundParseKey: {
            type: 'apiKey',
            in: 'query',
            name: 'key',
            description:
              'The Inbound Parse secret (at least 16 characters), set in the URL given to SendGrid.',
          },
          inboundParseBasic: {
            type: 'http',
            scheme: 'basic',
            description: 'The Inbound Parse secret as the password of HTTP Basic auth (any user name).',
          },
        },
      },
    },
    {
      override: (context) => {
        if (context.zodSchema === MessageRequestSchema) context.jsonSchema.oneOf = templateOrContent();
        if (context.zodSchema === TouchpointEventSchema)
          Object.assign(context.jsonSchema, touchpointEventRules());
      },
    },
  );
  return document as unknown as Record<string, unknown>;
}
