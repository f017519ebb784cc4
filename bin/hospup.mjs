#!/usr/bin/env node
// The `hospup` command: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exit(await main(process.argv.slice(2)));
