/**
 * The public ingest's operations, by path (all POST), as in functions/handlers/shared/ingest-http.ts
 * `INGEST_ROUTES`: the body and answers of `POST /v1/events`, authenticated by a write key.
 */
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from 'zod-openapi';
import {
  ApiErrorBodySchema,
  TOUCHPOINT_BATCH_MAX_BYTES,
  TouchpointEventSchema,
  TouchpointsAcceptedSchema,
} from '../../functions/contract';
import { INGEST_ROUTES, type IngestPath } from '../../functions/handlers/shared/ingest-http';
import { TouchpointBatchDocumentSchema } from '../json-schemas';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const problem = (description: string): ZodOpenApiResponseObject => ({
  description,
  content: json(ApiErrorBodySchema),
});

/** Every public ingest operation, by path. */
export const INGEST_OPERATIONS: Record<IngestPath, ZodOpenApiOperationObject> = Object.fromEntries(
  (Object.keys(INGEST_ROUTES) as IngestPath[]).map((path) => {
    const type = INGEST_ROUTES[path];
    const name = path.split('/').pop() ?? path;
    const operation: ZodOpenApiOperationObject = {
      operationId: `ingest${name[0]?.toUpperCase()}${name.slice(1)}`,
      summary: type
        ? `Public ingest: one ${type} event (its type defaults to ${type})`
        : 'Public ingest: Segment-spec events, one or a batch, with a write key',
      description:
        'As `POST /v1/events`, for senders that cannot sign with IAM (browsers, apps, store terminals). ' +
        'The write key goes as HTTP Basic user (empty password) or as `writeKey` in the body. Events from a ' +
        '`client` source keep their `userId` only with a valid `userHash` (HMAC-SHA256 of the userId with the ' +
        "source's secret); otherwise they stay on their `anonymousId`. A gzipped body is accepted.",
      tags: ['Events'],
      security: [{ writeKeyBasic: [] }],
      requestBody: {
        required: true,
        content: json(z.union([TouchpointEventSchema, TouchpointBatchDocumentSchema])),
      },
      responses: {
        '202': {
          description: 'At least one event was kept; one result per event, in order.',
          content: json(TouchpointsAcceptedSchema),
        },
        '400': problem('No event could be kept, or the body is unreadable: `issues` names every bad field.'),
        '401': problem('No write key, an unknown or revoked one (`unauthorized`); nothing was written.'),
        '413': problem(`The body is over ${TOUCHPOINT_BATCH_MAX_BYTES} bytes (\`payload_too_large\`).`),
        '429': {
          ...problem(
            'The write key used up its rate-limit window (`rate_limited`); retry after `Retry-After`.',
          ),
          headers: z.object({ 'retry-after': z.string().meta({ description: 'Seconds to wait.' }) }),
        },
      },
    };
    return [path, operation];
  }),
) as Record<IngestPath, ZodOpenApiOperationObject>;
