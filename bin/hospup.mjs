#!/usr/bin/env node
// The `hospup` command: the built JavaScript (dist/node/hospup.mjs, made by `npm install` and
// `npm run build:node`) when it is up to date, else the TypeScript sources through tsx.
import { importBuilt } from './built.mjs';

let cli = await importBuilt('hospup');
if (!cli) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../electron/cli/main.ts');
}
process.exit(await cli.main(process.argv.slice(2)));
