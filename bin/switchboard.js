#!/usr/bin/env node
// The `switchboard` executable: runs the TypeScript CLI through tsx, so no build step is needed.
require('tsx/cjs/api').register();
const { main } = require('../cli/switchboard.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`${error?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
