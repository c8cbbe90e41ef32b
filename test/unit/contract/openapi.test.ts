import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { CLICK_ROUTE } from '../../../functions/handlers/click-redirect';
import { INGEST_ROUTES } from '../../../functions/handlers/shared/ingest-http';
import { API_ROUTES, WEBHOOK_ROUTES } from '../../../infra/routes';
import { API_OPERATIONS } from '../../../scripts/openapi/api-operations';
import { OPENAPI_FILE, openApiDocument } from '../../../scripts/openapi/document';
import { WEBHOOK_OPERATIONS } from '../../../scripts/openapi/webhook-operations';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

type Operations = Record<string, Record<string, { security?: Record<string, string[]>[] }>>;

function committedDocument(): { paths: Operations } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', OPENAPI_FILE), 'utf8'));
}

/** `METHOD path` for every operation a document describes. */
function describedRouteKeys(paths: Operations): string[] {
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

const apiRouteKeys = API_ROUTES.flatMap((route) => route.methods.map((method) => `${method} ${route.path}`));
const webhookRouteKeys = WEBHOOK_ROUTES.map((route) => `POST ${route.path}`);

describe('Contract: OpenAPI document', () => {
  it('schemas/openapi.json matches what the zod contract generates', () => {
    // Prepare
    const generated = openApiDocument();

    // Act
    const committed = committedDocument();

    // Assess: when this fails, run `npm run schemas` and commit the result.
    expect(committed).toEqual(generated);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    // Prepare
    const document = committedDocument();

    // Act
    const result = await validate(structuredClone(document) as never);

    // Assess
    expect(result).toEqual({ valid: true, warnings: [], specification: 'OpenAPI' });
    expect(document.openapi).toBe('3.1.0');
  });

  it('rejects a document the validator should catch (the check is live)', async () => {
    // Prepare: a response without its required description.
    const broken = committedDocument();
    const messages = broken.paths['/v1/messages'] as Record<string, { responses: Record<string, unknown> }>;
    messages.post!.responses['202'] = { content: {} };

    // Act
    const result = await validate(broken as never);

    // Assess
    expect(result.valid).toBe(false);
    expect(result.valid ? [] : result.errors.map((error) => error.message).join('\n')).toContain(
      "must have required property 'description'",
    );
  });

  it('describes exactly the routes of infra/routes.ts', () => {
    // Prepare
    const ingestRouteKeys = Object.keys(INGEST_ROUTES).map((path) => `POST ${path}`);
    const expected = [...apiRouteKeys, ...webhookRouteKeys, ...ingestRouteKeys, `GET ${CLICK_ROUTE}`].sort();

    // Act
    const described = describedRouteKeys(committedDocument().paths).sort();

    // Assess
    expect(described).toEqual(expected);
  });

  it('has no operation description without a route', () => {
    expect(Object.keys(API_OPERATIONS).sort()).toEqual([...apiRouteKeys].sort());
    expect(
      Object.keys(WEBHOOK_OPERATIONS)
        .map((path) => `POST ${path}`)
        .sort(),
    ).toEqual([...webhookRouteKeys].sort());
  });

  it('documents the short links as public, answering 302 or 404', () => {
    // Act
    const operation = committedDocument().paths[CLICK_ROUTE]?.get as
      | { security?: unknown; responses?: Record<string, unknown> }
      | undefined;

    // Assess
    expect(operation?.security).toEqual([]);
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(['302', '404']);
  });

  it.each(Object.keys(INGEST_ROUTES))('requires a write key (HTTP Basic) on POST %s', (path) => {
    expect(committedDocument().paths[path]?.post?.security).toEqual([{ writeKeyBasic: [] }]);
  });

  it.each(apiRouteKeys)('requires AWS SigV4 on %s', (routeKey) => {
    const [method, path] = routeKey.split(' ') as [string, string];
    const operation = committedDocument().paths[path]?.[method.toLowerCase()];
    expect(operation?.security).toEqual([{ awsSigV4: [] }]);
  });

  it.each(webhookRouteKeys)('requires a provider signature or secret on %s', (routeKey) => {
    const [, path] = routeKey.split(' ') as [string, string];
    const security = committedDocument().paths[path]?.post?.security ?? [];
    expect(security.length).toBeGreaterThan(0);
    expect(security.flatMap((requirement) => Object.keys(requirement))).not.toContain('awsSigV4');
  });

  it('says a message request takes a template or content, not both', () => {
    // Prepare
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema(committedDocument(), 'openapi.json');
    const validateRequest = ajv.getSchema('openapi.json#/components/schemas/MessageRequest');
    const base = { schemaVersion: 1, requestId: 'r-1', customerId: 'c-1', category: 'transactional' };

    // Act
    const results = [
      validateRequest?.({ ...base, template: 'order-shipped' }),
      validateRequest?.({ ...base, content: { text: 'hi' } }),
      validateRequest?.({ ...base, template: 'order-shipped', content: { text: 'hi' } }),
      validateRequest?.(base),
    ];

    // Assess
    expect(results).toEqual([true, true, false, false]);
  });
});
