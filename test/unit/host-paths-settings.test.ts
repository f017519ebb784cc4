import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultDataDir, defaultExportDir, resolvePaths } from '../../electron/services/paths';
import { createSettingsStore } from '../../electron/services/settings';
import { reserveOutputPath, sanitiseName } from '../../electron/services/export-service';

describe('data paths', () => {
  it('uses the OS app-data folder and Videos folder by default', () => {
    assert.equal(defaultDataDir({ platform: 'linux', home: '/home/a', env: {} }), '/home/a/.config/Hospup Studio');
    assert.equal(defaultDataDir({ platform: 'linux', home: '/home/a', env: { XDG_CONFIG_HOME: '/x' } }), '/x/Hospup Studio');
    assert.equal(defaultDataDir({ platform: 'darwin', home: '/Users/a', env: {} }), '/Users/a/Library/Application Support/Hospup Studio');
    assert.equal(defaultDataDir({ platform: 'win32', home: 'C:/Users/a', env: { APPDATA: 'C:/Users/a/AppData/Roaming' } }), join('C:/Users/a/AppData/Roaming', 'Hospup Studio'));
    assert.equal(defaultExportDir({ platform: 'linux', home: '/home/a' }), '/home/a/Videos');
    assert.equal(defaultExportDir({ platform: 'darwin', home: '/Users/a' }), '/Users/a/Movies');
  });
  it('honours HOSPUP_DATA_DIR / HOSPUP_EXPORT_DIR, and explicit options over both', () => {
    const env = { HOSPUP_DATA_DIR: '/data', HOSPUP_EXPORT_DIR: '/out' };
    const p = resolvePaths({ env, home: '/home/a', platform: 'linux' });
    assert.equal(p.dataDir, '/data');
    assert.equal(p.exportDir, '/out');
    assert.equal(p.projects, '/data/projects');
    assert.equal(p.settingsFile, '/data/settings.json');
    assert.equal(p.exportsFile, '/data/exports.json');
    assert.equal(p.localCloud, '/data/local-cloud');
    assert.equal(p.templates, '/data/templates');
    assert.equal(p.proxies, '/data/media-cache/proxies');
    assert.equal(resolvePaths({ env, dataDir: '/d2', exportDir: '/o2' }).dataDir, '/d2');
  });
});

describe('settings store', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'hospup-settings-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('starts with defaults, persists patches, merges aws field by field', async () => {
    const file = join(dir, 'a.json');
    const store = createSettingsStore(file);
    assert.equal((await store.get()).target, 'local');
    await store.update({ locale: 'fr' });
    await store.update({ aws: { region: 'us-east-1' } } as never);
    await store.update({ target: 'aws', aws: { bucket: 'b1' } } as never);
    const reread = await createSettingsStore(file).get();
    assert.equal(reread.locale, 'fr');
    assert.equal(reread.target, 'aws');
    assert.equal(reread.aws.region, 'us-east-1');
    assert.equal(reread.aws.bucket, 'b1');
    assert.equal(reread.aws.profile, 'default');
  });

  it('refuses an invalid value, naming it, and keeps the file', async () => {
    const file = join(dir, 'b.json');
    const store = createSettingsStore(file);
    await store.update({ locale: 'en' });
    await assert.rejects(store.update({ locale: 'de' } as never), /locale/);
    assert.equal((await createSettingsStore(file).get()).locale, 'en');
  });

  it('a corrupt file gives defaults and is kept as .bad', async () => {
    const file = join(dir, 'c.json');
    await writeFile(file, '{"locale": "fr", oops');
    const store = createSettingsStore(file);
    assert.equal((await store.get()).locale, 'auto');
    assert.equal(await readFile(`${file}.bad`, 'utf8'), '{"locale": "fr", oops');
    await store.update({ showSafeZones: true });
    assert.equal(JSON.parse(await readFile(file, 'utf8')).showSafeZones, true);
  });
});

describe('export file names', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'hospup-names-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('names the file after the project and the time, sanitised', () => {
    assert.equal(sanitiseName('Hôtel  "Le Lac"/été: v2?'), 'Hôtel Le Lac été v2');
    assert.equal(sanitiseName('  ...  '), 'Hospup video');
    assert.equal(sanitiseName('CON'), 'Hospup video');
    const at = new Date(2026, 4, 7, 9, 5);
    assert.equal(reserveOutputPath(dir, 'Spring', at), join(dir, 'Spring 2026-05-07 09-05.mp4'));
  });

  it('never overwrites: existing files and reserved names get (2), (3)', async () => {
    const at = new Date(2026, 4, 7, 9, 5);
    await writeFile(join(dir, 'Tour 2026-05-07 09-05.mp4'), 'x');
    const reserved = new Set<string>();
    assert.equal(reserveOutputPath(dir, 'Tour', at, reserved), join(dir, 'Tour 2026-05-07 09-05 (2).mp4'));
    assert.equal(reserveOutputPath(dir, 'Tour', at, reserved), join(dir, 'Tour 2026-05-07 09-05 (3).mp4'));
  });
});
