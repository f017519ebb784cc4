// Lint: TypeScript recommended rules plus the layering of DEVELOPERS.md, enforced per folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const ours = (...folders) => folders.flatMap((f) => [`**/${f}/**`, `../${f}/*`, `../../${f}/*`]);
// AGPL (@cloud-copilot/iam-simulate): a test-only cross-check, never in what ships.
const testOnly = { group: ['@cloud-copilot/*'], message: 'AGPL-licensed: only tests may import it (the app must not ship it).' };
// `paths` matches package names exactly; `patterns` are gitignore-style path patterns.
const layer = (packages, patterns, message) => ({
  'no-restricted-imports': ['error', { paths: packages.map((name) => ({ name, message })), patterns: [{ group: patterns, message }, testOnly] }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'release/', 'test-results/', 'playwright-report/', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'preserve-caught-error': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/electron/**', '**/renderer/**', '**/cloud/**', 'node:*'], message: 'shared/ is pure TypeScript: it imports none of our other folders, no Node, no Electron.' },
            testOnly,
          ],
          paths: [{ name: 'electron', message: 'shared/ never imports Electron.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
      'react-hooks/immutability': 'off',
      'react-hooks/purity': 'off',
      ...layer(['electron', 'fs', 'path'], [...ours('electron', 'cloud'), 'node:*'], 'renderer/ talks to the host only through the typed HostApi (renderer/src/host) and imports only shared/.'),
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/cli/**/*.ts', 'electron/web/**/*.ts', 'cloud/local/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: layer(['electron'], ours('renderer'), 'Only the thin Electron entry files (electron/*.ts) may import electron; services stay plain Node.'),
  },
  {
    files: ['cloud/lambda/**/*.ts'],
    rules: layer(['electron'], [...ours('renderer', 'electron'), '**/local/**'], 'The Lambda ships alone: it imports only shared/ and its own folder.'),
  },
);
