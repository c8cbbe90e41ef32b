import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  defaultTemplatesDir,
  loadTemplateSet,
  TemplateFilesError,
} from '../../functions/adapters/template-files';

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

describe('Function: loadTemplateSet', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'switchboard-templates-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads the brand, layouts, partials and nested templates from a folder', () => {
    // Prepare
    writeTree(root, {
      '_brand.json': '{"name":"B"}',
      '_layouts/email.html.liquid': 'L',
      '_partials/button.liquid': 'P',
      'orders/receipt/template.json': '{"channels":["sms"]}',
      'orders/receipt/en/sms.liquid': 'Hi',
      'orders/receipt/README.md': 'notes for writers',
      'orders/receipt/.DS_Store': 'x',
    });

    // Act
    const set = loadTemplateSet(root);

    // Assess
    expect(set).toEqual({
      brand: { name: 'B' },
      layouts: { 'email.html': 'L' },
      partials: { button: 'P' },
      templates: { 'orders/receipt': { manifest: { channels: ['sms'] }, files: { 'en/sms.liquid': 'Hi' } } },
    });
  });

  it.each([
    ['a missing folder', {}, 'nope', 'templates folder not found'],
    ['a manifest that is not JSON', { 'x/template.json': '{ nope' }, '', 'template.json: not valid JSON'],
  ])('fails clearly on %s', (_case, files, sub, message) => {
    // Prepare
    writeTree(root, files);

    // Act
    const load = () => loadTemplateSet(join(root, sub));

    // Assess
    expect(load).toThrow(TemplateFilesError);
    expect(load).toThrow(message);
  });

  it('reads the folder named by SWITCHBOARD_TEMPLATES_DIR, else the repository templates', () => {
    // Act
    const configured = defaultTemplatesDir({ SWITCHBOARD_TEMPLATES_DIR: root });
    const repository = defaultTemplatesDir({});

    // Assess
    expect(configured).toBe(root);
    expect(repository).toBe(join(__dirname, '..', '..', 'templates'));
  });
});
