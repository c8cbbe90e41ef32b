/**
 * How every Switchboard Lambda is bundled: one definition, used by the CDK stack (through
 * `node infra/bundling.mjs <handler> <outdir>` from the function's local bundling) and by the
 * cold-start benchmark (bench/bundles.ts), so the benchmark measures exactly what is deployed.
 * The sizes and start-up times these choices give are in docs/BENCHMARKS.md, "Cold start".
 *
 * Why not NodejsFunction's own bundling: the zod choice below is an esbuild plugin, which
 * NodejsFunction cannot take (it drives the esbuild CLI), and one definition here serves both the
 * stack and the benchmark. The choices:
 *
 * - The AWS SDK is bundled from its ES module builds (`mainFields: module, main`) instead of being
 *   left to the runtime's copy. esbuild then keeps only what the clients use, in one file that
 *   loads faster than the runtime's hundreds of CommonJS files, and the SDK version is the lock
 *   file's.
 * - zod's classic API re-exports every locale as a namespace (`export * as locales`), which esbuild
 *   cannot tree-shake: 40-odd languages in every function. Switchboard's messages are English only,
 *   and zod configures English itself, so the plugin resolves zod's locale index to a module
 *   exporting `en` alone (the workaround zod's own issue tracker documents: colinhacks/zod#6050,
 *   #5665).
 *
 * And `"sideEffects": false` in package.json lets esbuild drop whole modules of ours that a function
 * imports through a barrel but never uses: the senders import `functions/contract`, yet only the
 * API and the router keep customer.ts and with it libphonenumber-js's phone-number metadata.
 *
 * No provider SDK's HTTP stack is bundled: the Twilio and SendGrid adapters use their SDK's request
 * building only and send through functions/adapters/http/provider-http.ts (the AWS SDK's node:http
 * handler, already in every bundle), so axios, form-data and mime-db's table stay out of every
 * function and no first request loads fetch's undici.
 *
 * Plain ESM JavaScript, so the CDK app can run it with the machine's `node` during synthesis.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Repository root. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Replaces zod's locale index with English only (see the header). */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.(c?js|mjs)$/ }, (args) => ({
      contents: args.path.endsWith('.cjs')
        ? 'module.exports.en = require("./en.cjs").default;'
        : 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * The esbuild options of one function bundle.
 * @param {{ entry: string, outfile: string }} target
 * @returns {import('esbuild').BuildOptions}
 */
export function functionBuildOptions({ entry, outfile }) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // ES module builds first: tree-shakable, and the AWS SDK's are much faster to load (see header).
    mainFields: ['module', 'main'],
    // Source maps beside the bundle, not inlined: Node reads them only under `--enable-source-maps`,
    // which the stack sets when the `sourceMaps` setting asks for it (it costs cold-start time).
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
    metafile: true,
    plugins: [zodEnglishOnly],
  };
}

/**
 * Writes the repository's template set into `outdir/templates.json`, read by the functions' own
 * loader (functions/adapters/files/template-files.ts, bundled here on the fly), so the file holds exactly
 * what the folder would give at run time and the router reads one file when it starts.
 * @param {string} outdir
 */
async function writeTemplateSet(outdir) {
  const loader = await importFunctionsModule('template-files.ts');
  const set = loader.loadTemplateSet(join(PROJECT_ROOT, 'templates'));
  writeFileSync(join(outdir, loader.TEMPLATE_SET_FILE), JSON.stringify(set));
}

/**
 * The folder beside a bundle that holds the journey documents; the stack points `JOURNEYS_DIR` at it.
 */
export const JOURNEYS_FOLDER = 'journeys';

/**
 * Copies the repository's journey documents into `outdir/journeys/`, as files, for the functions'
 * own loader (functions/adapters/files/journey-files.ts `loadJourneys`), which first checks them
 * here: a broken document fails the build instead of the function's first start.
 * @param {string} outdir
 */
async function copyJourneys(outdir) {
  const loader = await importFunctionsModule('journey-files.ts');
  const source = join(PROJECT_ROOT, JOURNEYS_FOLDER);
  loader.loadJourneys(source);
  const target = join(outdir, JOURNEYS_FOLDER);
  mkdirSync(target, { recursive: true });
  for (const file of loader.listJourneyFiles(source)) copyFileSync(file, join(target, basename(file)));
}

/**
 * One module of functions/adapters/files/, bundled on the fly and imported, so that the build reads
 * data exactly as the functions will.
 * @param {string} file
 */
async function importFunctionsModule(file) {
  const { outputFiles } = await build({
    entryPoints: [join(PROJECT_ROOT, 'functions', 'adapters', 'files', file)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'error',
    // CommonJS dependencies (the `yaml` parser) require Node's built-ins, which an ES module
    // imported from a data: URL can only do through a require of its own.
    banner: {
      js: `import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(${JSON.stringify(join(PROJECT_ROOT, 'package.json'))});`,
    },
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`);
}

/**
 * Bundles one handler (functions/handlers/<handler>.ts) into `outdir/index.js`, with the
 * repository's template set beside it (`templates.json`) and its journey documents (`journeys/`)
 * when asked.
 * @param {{ handler: string, outdir: string, withTemplates?: boolean, withJourneys?: boolean }} options
 * @returns {Promise<import('esbuild').Metafile>}
 */
export async function bundleFunction({ handler, outdir, withTemplates = false, withJourneys = false }) {
  const result = await build(
    functionBuildOptions({
      entry: join(PROJECT_ROOT, 'functions', 'handlers', `${handler}.ts`),
      outfile: join(outdir, 'index.js'),
    }),
  );
  // Templates are data read at run time (functions/adapters/files/template-files.ts), so they travel
  // beside the bundle.
  if (withTemplates) await writeTemplateSet(outdir);
  // Journeys too: the engine and the API read the deployed documents at run time.
  if (withJourneys) await copyJourneys(outdir);
  return /** @type {import('esbuild').Metafile} */ (result.metafile);
}

// `node infra/bundling.mjs <handler> <outdir> [--templates] [--journeys]`: what the CDK stack runs.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [handler, outdir] = process.argv.slice(2);
  if (!handler || !outdir) {
    console.error('usage: node infra/bundling.mjs <handler> <outdir> [--templates] [--journeys]');
    process.exit(2);
  }
  bundleFunction({
    handler,
    outdir,
    withTemplates: process.argv.includes('--templates'),
    withJourneys: process.argv.includes('--journeys'),
  }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
