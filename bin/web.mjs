#!/usr/bin/env node
// `npm run web`: the web-mode host, as built JavaScript (dist/node/web.mjs) when it is up to date,
// else the TypeScript sources through tsx. Both start the server when imported.
import { importBuilt } from './built.mjs';

if (!(await importBuilt('web'))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/web/main.ts');
}
