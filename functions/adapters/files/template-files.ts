/**
 * Loads the template set from a folder of files (by default the repository's `templates/`). The
 * domain renderer never touches the file system: it gets the plain TemplateSet this returns, which
 * is also JSON-serialisable, so a bundle can embed it instead of shipping the folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { Env } from '../../config';
import type { TemplateSet, TemplateSource } from '../../domain/templates/template-set';

/** The manifest file that marks a folder as one template. */
export const MANIFEST_FILE = 'template.json';

/** Thrown when the folder cannot be read as a template set (missing folder, malformed JSON). */
export class TemplateFilesError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateFilesError';
  }
}

/**
 * The template set as one JSON file, which infra/bundling.mjs writes beside a bundle that renders
 * templates (with this module's own loadTemplateSet), so that a cold start reads one file instead
 * of walking the folder (~90 files and folders, ~8 ms of the router's start).
 */
export const TEMPLATE_SET_FILE = 'templates.json';

/**
 * Where templates are read from: `SWITCHBOARD_TEMPLATES_DIR` when set, else the repository's
 * `templates/` when running from source, else the template-set file beside the Lambda bundle.
 */
export function defaultTemplatesLocation(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[Env.TEMPLATES_DIR];
  if (configured !== undefined && configured.trim() !== '') return resolve(configured);
  const repository = resolve(__dirname, '..', '..', '..', 'templates');
  if (existsSync(repository)) return repository;
  return resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), TEMPLATE_SET_FILE);
}

/**
 * Reads every template, layout, partial and the brand: from a folder of files, or from a
 * template-set file (`templates.json`) that the bundler wrote.
 */
export function loadTemplateSet(location: string = defaultTemplatesLocation()): TemplateSet {
  if (location.endsWith('.json') && existsSync(location) && statSync(location).isFile()) {
    return readTemplateSetFile(location);
  }
  if (!existsSync(location) || !statSync(location).isDirectory()) {
    throw new TemplateFilesError(`templates folder not found: ${location}`);
  }
  const brandFile = join(location, '_brand.json');
  return {
    brand: existsSync(brandFile) ? readJson(brandFile) : undefined,
    layouts: readLiquidFolder(join(location, '_layouts')),
    partials: readLiquidFolder(join(location, '_partials')),
    templates: readTemplates(location),
  };
}

/** A template-set file, checked for its shape: the renderer checks each template when it compiles. */
function readTemplateSetFile(file: string): TemplateSet {
  const set = readJson(file) as Partial<TemplateSet> | null;
  const isRecord = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isRecord(set) || !isRecord(set?.templates) || !isRecord(set?.layouts) || !isRecord(set?.partials)) {
    throw new TemplateFilesError(`${file}: not a template set (templates, layouts and partials objects)`);
  }
  return set as TemplateSet;
}

function readTemplates(root: string): Record<string, TemplateSource> {
  const templates: Record<string, TemplateSource> = {};
  const visit = (folder: string): void => {
    if (existsSync(join(folder, MANIFEST_FILE))) {
      const name = relative(root, folder).split(sep).join('/');
      const files: Record<string, string> = {};
      for (const file of listFiles(folder)) {
        const path = relative(folder, file).split(sep).join('/');
        if (path !== MANIFEST_FILE && !path.endsWith('.md')) files[path] = readFileSync(file, 'utf8');
      }
      templates[name] = { manifest: readJson(join(folder, MANIFEST_FILE)), files };
      return;
    }
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      // `_layouts`, `_partials` and other `_` folders are shared, not templates.
      if (entry.isDirectory() && !entry.name.startsWith('_') && !entry.name.startsWith('.')) {
        visit(join(folder, entry.name));
      }
    }
  };
  visit(root);
  return templates;
}

function readLiquidFolder(folder: string): Record<string, string> {
  const sources: Record<string, string> = {};
  if (!existsSync(folder)) return sources;
  for (const file of listFiles(folder)) {
    if (!file.endsWith('.liquid')) continue;
    const name = relative(folder, file).split(sep).join('/').slice(0, -'.liquid'.length);
    sources[name] = readFileSync(file, 'utf8');
  }
  return sources;
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TemplateFilesError(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}
