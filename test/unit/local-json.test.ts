import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalJsonError, readLocalJson } from '../../local/local-json';

const rootWith = (content?: string) => {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-localjson-'));
  if (content !== undefined) {
    mkdirSync(join(root, '.switchboard'));
    writeFileSync(join(root, '.switchboard', 'local.json'), content);
  }
  return root;
};

describe('Function: readLocalJson', () => {
  it.each([
    { what: 'the file is missing', content: undefined, message: /npm start/ },
    { what: 'the file is not JSON', content: '{', message: /not valid JSON/ },
    { what: 'keys are missing', content: '{"region":"us-east-1"}', message: /lacks sqsEndpoint/ },
  ])('throws a LocalJsonError saying what to do when $what', ({ content, message }) => {
    // Act
    const read = () => readLocalJson(rootWith(content));

    // Assess
    expect(read).toThrow(LocalJsonError);
    expect(read).toThrow(message);
  });
});
