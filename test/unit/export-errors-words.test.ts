// Export failures in plain words for both languages (the host's templates, said by the UI from
// its translation table), and the CLI's line for a pause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import i18next from 'i18next';
import { fr } from '../../renderer/src/i18n/fr';
import { friendlyExportError } from '../../renderer/src/components/export-errors';
import { exportFailureTemplates, permissionFailure, toExportFailure } from '../../electron/services/export/export-failure';
import { toExportError } from '../../electron/services/export-service';
import { describeProgress } from '../../electron/cli/progress-view';
import type { ExportError } from '../../shared/api';

async function translator(lng: 'en' | 'fr') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { en: { translation: {} }, fr: { translation: fr } }, keySeparator: false, nsSeparator: false, interpolation: { escapeValue: false } });
  return i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
}

const denied = 'User: arn:aws:iam::111122223333:user/reception is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::hotel/sources/a.mp4" because no identity-based policy allows the s3:PutObject action';

test('every sentence the exporter says to people has its French translation', () => {
  const templates = exportFailureTemplates();
  assert.ok(templates.length >= 15);
  assert.deepEqual(templates.filter((t) => !(t in fr)), []);
});

test('AccessDenied names the missing permission in words, in English and in French', async () => {
  const error = toExportError(toExportFailure(Object.assign(new Error(denied), { name: 'AccessDenied' }), 'uploading the clips'));
  assert.equal(error.code, 'aws-permission');
  assert.equal(error.params?.permission, 's3:PutObject');
  assert.equal(friendlyExportError(await translator('en'), error, String),
    'Your AWS user may not upload clips to the bucket (missing permission s3:PutObject on arn:aws:s3:::hotel/sources/a.mp4). Ask your AWS administrator to attach the Hospup user policy.');
  assert.equal(error.message, friendlyExportError(await translator('en'), error, String), 'the host says the same in English');
  assert.equal(friendlyExportError(await translator('fr'), error, String),
    'Votre utilisateur AWS ne peut pas envoyer des clips dans le bucket (autorisation s3:PutObject manquante sur arn:aws:s3:::hotel/sources/a.mp4). Demandez à votre administrateur AWS d’attacher la stratégie utilisateur Hospup.');
});

test('a role that lacks a permission points at the stack, not at the user', async () => {
  const failure = permissionFailure('User: arn:aws:sts::1:assumed-role/hospup-GeneratorRole/fn is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/x');
  assert.match(failure.message, /^The cloud side may not give MediaConvert its role \(the role hospup-GeneratorRole lacks iam:PassRole/);
  assert.match(friendlyExportError(await translator('fr'), toExportError(failure), String), /^Le côté cloud ne peut pas confier son rôle à MediaConvert \(le rôle hospup-GeneratorRole n’a pas iam:PassRole/);
});

test('wrong keys say which, in both languages (never "UnknownError")', async () => {
  const cases: [string, RegExp, RegExp][] = [
    ['InvalidAccessKeyId', /^AWS does not know this access key/, /^AWS ne connaît pas cette clé d’accès/],
    ['SignatureDoesNotMatch', /^The secret access key does not match/, /^La clé secrète ne correspond pas/],
    ['ExpiredToken', /^The AWS session has expired/, /^La session AWS a expiré/],
    ['RequestTimeTooSkewed', /clock is more than 5 minutes wrong/, /L’horloge de cet ordinateur/],
  ];
  const [en, frT] = [await translator('en'), await translator('fr')];
  for (const [name, english, french] of cases) {
    const error = toExportError(toExportFailure(Object.assign(new Error('x'), { name }), 'uploading'));
    assert.equal(error.code, 'aws-auth');
    assert.match(friendlyExportError(en, error, String), english);
    assert.match(friendlyExportError(frT, error, String), french);
  }
});

test('a stopped local cloud, in both languages', async () => {
  const { LOCAL_CLOUD_STOPPED } = await import('../../electron/services/export/export-failure');
  const error: ExportError = { code: 'local-cloud-stopped', message: LOCAL_CLOUD_STOPPED, key: LOCAL_CLOUD_STOPPED, params: {}, retryable: true };
  assert.match(friendlyExportError(await translator('en'), error, String), /^The built-in export service stopped during the export/);
  assert.match(friendlyExportError(await translator('fr'), error, String), /^Le service d’export intégré s’est arrêté/);
});

test('the CLI prints why an export is paused and when it retries', () => {
  assert.equal(describeProgress({ phase: 'paused', percent: 0, message: 'Connection lost while rendering. Trying again in 4 s…' }),
    'Paused      Connection lost while rendering. Trying again in 4 s…');
});
