#!/usr/bin/env node
// The `hospup` command: the built JavaScript (dist/node/hospup.cjs, made by `npm install` and
// `npm run build:node`, compiled from its code cache) when it is up to date, else the
// TypeScript sources through tsx.
import { requireBuiltWithCodeCache } from './built.mjs';

const argv = process.argv.slice(2);
// What a run compiles depends on its command: a cache each, so `--help` does not stand for an export.
const command = argv.find((arg) => !arg.startsWith('-'));
const variant = argv.includes('--help') || argv.includes('-h') || !['export', 'plan', 'cloud'].includes(command) ? 'help' : command;

const built = requireBuiltWithCodeCache('hospup', variant);
if (built) {
  const code = await built.exports.main(argv);
  built.saveCache();
  process.exit(code);
}
const { register } = await import('tsx/esm/api');
register();
const cli = await import('../electron/cli/main.ts');
process.exit(await cli.main(argv));
