/**
 * The fuses of the desktop builds that ship (electron-builder.yml): no --inspect, no
 * ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, the app only from its integrity-checked asar.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';

test('shipped builds burn the inspector, run-as-node and NODE_OPTIONS fuses off', () => {
  const config = yaml.load(readFileSync(join(import.meta.dirname, '../../electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  });
});
