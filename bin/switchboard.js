#!/usr/bin/env node
// The `switchboard` executable: runs the TypeScript CLI through tsx, so no build step is needed.
// The repository's tsconfig.json, whatever the working directory: its `paths` map
// `@switchboard/client` to the package's source (tsx otherwise looks for a tsconfig from the cwd).
process.env.TSX_TSCONFIG_PATH ??= require('node:path').join(__dirname, '..', 'tsconfig.json');
require('tsx/cjs/api').register();

// tsx's ESM loader too (its ES module API): the local runtime, which `switchboard demo` starts when
// none is running, loads the handlers with import(), which the CommonJS hook does not see.
import('tsx/esm/api')
  .then(({ register }) => {
    register();
    const { main } = require('../cli/switchboard.ts');
    return main(process.argv.slice(2));
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${error?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
