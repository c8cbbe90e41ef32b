import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  defaultTemplatesLocation,
  loadTemplateSet,
  TEMPLATE_SET_FILE,
  TemplateFilesError,
} from '../../functions/adapters/files/template-files';

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

  it('reads a template-set file (templates.json, as the bundler writes it) like the folder it came from', () => {
    // Prepare
    writeTree(root, {
      'src/_partials/button.liquid': 'P',
      'src/orders/receipt/template.json': '{"channels":["sms"]}',
      'src/orders/receipt/en/sms.liquid': 'Hi',
    });
    const fromFolder = loadTemplateSet(join(root, 'src'));
    writeFileSync(join(root, TEMPLATE_SET_FILE), JSON.stringify(fromFolder));

    // Act
    const fromFile = loadTemplateSet(join(root, TEMPLATE_SET_FILE));

    // Assess
    expect(fromFile).toEqual(JSON.parse(JSON.stringify(fromFolder)));
  });

  it.each([
    ['a missing folder', {}, 'nope', 'templates folder not found'],
    ['a missing template-set file', {}, TEMPLATE_SET_FILE, 'templates folder not found'],
    [
      'a template-set file that is not one',
      { [TEMPLATE_SET_FILE]: '{"templates":[]}' },
      TEMPLATE_SET_FILE,
      'templates.json: not a template set',
    ],
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
    const configured = defaultTemplatesLocation({ SWITCHBOARD_TEMPLATES_DIR: root });
    const repository = defaultTemplatesLocation({});

    // Assess
    expect(configured).toBe(root);
    expect(repository).toBe(join(__dirname, '..', '..', 'templates'));
  });
  // Beside a bundle (no repository folder) it is LAMBDA_TASK_ROOT/templates.json: the bundling test
  // (test/infra/bundling.test.ts) runs the router's bundle that way.
});
