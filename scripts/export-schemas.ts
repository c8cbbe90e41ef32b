/**
 * Writes the contract's JSON Schema files and the HTTP API's OpenAPI document to schemas/ (run with
 * `npm run schemas`). The files are committed for publishers in other languages and API readers;
 * tests fail when they drift.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractJsonSchemas } from './json-schemas';
import { OPENAPI_FILE, openApiDocument } from './openapi/document';

const dir = join(__dirname, '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(contractJsonSchemas())) {
  writeFileSync(join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${file}`);
}
writeFileSync(join(dir, OPENAPI_FILE), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote schemas/${OPENAPI_FILE}`);
