import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { contractJsonSchemas } from '../../../scripts/json-schemas';

const root = join(__dirname, '..', '..', '..');

/** The JSON block that follows `<!-- example:NAME -->` in README.md. */
function readmeExample(name: string): unknown {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- example:${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match?.[1]) throw new Error(`README.md has no example marked <!-- example:${name} -->`);
  return JSON.parse(match[1]);
}

function validator(file: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8'));
  return ajv.compile(schema);
}

describe('Contract: JSON Schema export', () => {
  it.each(Object.keys(contractJsonSchemas()))(
    'schemas/%s matches what the zod contract generates',
    (file) => {
      // Prepare
      const generated = contractJsonSchemas()[file];

      // Act
      const committed = JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8'));

      // Assess: when this fails, run `npm run schemas` and commit the result.
      expect(committed).toEqual(generated);
    },
  );

  it('validates the README example request', () => {
    const validate = validator('message-request.schema.json');
    const valid = validate(readmeExample('message-request'));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects the README example without customerId', () => {
    // Prepare
    const validate = validator('message-request.schema.json');
    const { customerId: _removed, ...withoutCustomer } = readmeExample('message-request') as Record<
      string,
      unknown
    >;

    // Act
    const valid = validate(withoutCustomer);

    // Assess
    expect(valid).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ keyword: 'required', params: { missingProperty: 'customerId' } }),
      ]),
    );
  });

  it('rejects a request with both a template and content', () => {
    const validate = validator('message-request.schema.json');
    const example = readmeExample('message-request') as Record<string, unknown>;
    expect(validate({ ...example, content: { text: 'hi' } })).toBe(false);
  });

  it('validates the README example customer', () => {
    const validate = validator('customer.schema.json');
    expect(validate(readmeExample('customer'))).toBe(true);
  });

  it.each(['cart-recovery', 'post-purchase'])('validates the seed journey journeys/%s.yaml', (id) => {
    // Prepare
    const validate = validator('journey.schema.json');
    const document = parse(readFileSync(join(root, 'journeys', `${id}.yaml`), 'utf8'));

    // Act
    const valid = validate(document);

    // Assess
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a journey with a step of an unknown type or a duration that is not ISO-8601', () => {
    // Prepare
    const validate = validator('journey.schema.json');
    const document = parse(readFileSync(join(root, 'journeys', 'cart-recovery.yaml'), 'utf8'));

    // Act
    const unknownType = validate({ ...document, steps: [{ id: 'x', type: 'teleport' }] });
    const badDuration = validate({
      ...document,
      entry: { ...document.entry, reentry: { after: '30 days' } },
    });

    // Assess
    expect(unknownType).toBe(false);
    expect(badDuration).toBe(false);
  });
});
