/**
 * How every Switchboard Lambda is bundled: one definition, used by the CDK stack (through
 * `node infra/bundling.mjs <handler> <outdir>` from the function's local bundling) and by the
 * cold-start benchmark (bench/bundles.ts), so the benchmark measures exactly what is deployed.
 *
 * Why not NodejsFunction's own bundling: two things that make cold starts fit the target need an
 * esbuild plugin, which NodejsFunction cannot take (it drives the esbuild CLI):
 *
 * - The AWS SDK is bundled from its ES module builds (`mainFields: module, main`) instead of being
 *   left to the runtime's copy. esbuild then keeps only what the clients use, in one file: about
 *   370 KB, and it loads in roughly two thirds of the time the runtime's hundreds of CommonJS files
 *   take (measured in docs/BENCHMARKS.md, "Cold start"). It also pins the SDK version to the lock file.
 * - zod's classic API re-exports every locale as a namespace (`export * as locales`), which esbuild
 *   cannot tree-shake: 258 KB of 40-odd languages in every function. Switchboard's messages are
 *   English only, and zod configures English itself, so the plugin resolves zod's locale index to a
 *   module exporting `en` alone (the workaround zod's own issue tracker documents:
 *   colinhacks/zod#6050, #5665).
 *
 * And `"sideEffects": false` in package.json lets esbuild drop whole modules of ours that a function
 * imports through a barrel but never uses: the senders import `functions/contract`, yet only the
 * API and the router keep customer.ts and with it libphonenumber-js's 190 KB of metadata.
 *
 * No provider SDK's HTTP stack is bundled: the Twilio and SendGrid adapters use their SDK's request
 * building over fetch (functions/adapters/twilio/messages.ts, sendgrid/mail.ts say why), so axios,
 * form-data and mime-db's table stay out of every function.
 *
 * Plain ESM JavaScript, so the CDK app can run it with the machine's `node` during synthesis.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
    target: 'node22',
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
  const { outputFiles } = await build({
    entryPoints: [join(PROJECT_ROOT, 'functions', 'adapters', 'files', 'template-files.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'error',
  });
  const loader = await import(
    `data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`
  );
  const set = loader.loadTemplateSet(join(PROJECT_ROOT, 'templates'));
  writeFileSync(join(outdir, loader.TEMPLATE_SET_FILE), JSON.stringify(set));
}

/**
 * Bundles one handler (functions/handlers/<handler>.ts) into `outdir/index.js`, with the
 * repository's template set beside it (`templates.json`) when asked.
 * @param {{ handler: string, outdir: string, withTemplates?: boolean }} options
 * @returns {Promise<import('esbuild').Metafile>}
 */
export async function bundleFunction({ handler, outdir, withTemplates = false }) {
  const result = await build(
    functionBuildOptions({
      entry: join(PROJECT_ROOT, 'functions', 'handlers', `${handler}.ts`),
      outfile: join(outdir, 'index.js'),
    }),
  );
  // Templates are data read at run time (functions/adapters/files/template-files.ts), so they travel
  // beside the bundle.
  if (withTemplates) await writeTemplateSet(outdir);
  return /** @type {import('esbuild').Metafile} */ (result.metafile);
}

// `node infra/bundling.mjs <handler> <outdir> [--templates]`: what the CDK stack runs.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [handler, outdir] = process.argv.slice(2);
  if (!handler || !outdir) {
    console.error('usage: node infra/bundling.mjs <handler> <outdir> [--templates]');
    process.exit(2);
  }
  bundleFunction({ handler, outdir, withTemplates: process.argv.includes('--templates') }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
