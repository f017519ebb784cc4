import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { AppSettings, ConnectionStep } from '../../../shared/api';
import { host } from '../host';
import { useApp } from '../store/app-store';
import { errorMessage, updateSettings } from '../app/session';
import { Modal } from './Modal';

export function SettingsDialog() {
  const { t } = useTranslation();
  const saved = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  // The settings as they were when the dialog opened: Cancel puts them back even if
  // "Test connection" had to save the draft to test it.
  const [opened] = useState<AppSettings | null>(saved);
  const [savedByTest, setSavedByTest] = useState(false);
  const close = () => useApp.getState().setDialog('none');
  const cancel = () => {
    if (savedByTest && opened) void updateSettings(opened).catch(() => undefined);
    close();
  };
  const [draft, setDraft] = useState<AppSettings | null>(saved);
  const [profiles, setProfiles] = useState<string[]>([]);
  const [keys, setKeys] = useState({ accessKeyId: '', secretAccessKey: '' });
  const [steps, setSteps] = useState<ConnectionStep[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    host
      .listAwsProfiles()
      .then(setProfiles)
      .catch(() => setProfiles([]));
  }, []);

  if (!draft) return null;
  const aws = draft.aws;
  const setAws = (patch: Partial<AppSettings['aws']>) => setDraft({ ...draft, aws: { ...aws, ...patch } });

  const save = async () => {
    setBusy(true);
    setError('');
    try {
      await updateSettings(draft);
      if (draft.target === 'aws' && aws.credentials === 'keys' && keys.accessKeyId && keys.secretAccessKey) {
        await host.setAwsKeys(keys);
        setKeys({ accessKeyId: '', secretAccessKey: '' });
      }
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const testConnection = async () => {
    setSteps(null);
    setError('');
    // Empty names: say which, in the user's language, without saving or calling AWS.
    const empty: ConnectionStep[] = [];
    if (!aws.bucket.trim()) empty.push({ name: 'bucket', ok: false, message: t('Enter the bucket name.') });
    if (!aws.functionName.trim()) empty.push({ name: 'function', ok: false, message: t('Enter the function name.') });
    if (empty.length) return setSteps(empty);
    if (!(await save())) return;
    setSavedByTest(true);
    setBusy(true);
    try {
      setSteps(await host.testConnection());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('Settings')} onClose={cancel}>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save().then((ok) => ok && close());
        }}
      >
        <label className="field">
          <span>{t('Language')}</span>
          <select value={draft.locale} onChange={(e) => setDraft({ ...draft, locale: e.target.value as AppSettings['locale'] })}>
            <option value="auto">{t('Automatic (system language)')}</option>
            <option value="en">English</option>
            <option value="fr">Français</option>
          </select>
        </label>
        <label className="field">
          <span>{t('Export folder')}</span>
          <input value={draft.exportDir} placeholder={info?.exportDir} onChange={(e) => setDraft({ ...draft, exportDir: e.target.value })} />
        </label>
        <fieldset className="field">
          <legend>{t('Where videos are rendered')}</legend>
          <label className="radio">
            <input type="radio" name="target" checked={draft.target === 'local'} onChange={() => setDraft({ ...draft, target: 'local' })} />
            <span>
              <strong>{t('This computer (local cloud)')}</strong>
              <small>{t('Works offline, nothing to set up.')}</small>
            </span>
          </label>
          <label className="radio">
            <input type="radio" name="target" checked={draft.target === 'aws'} onChange={() => setDraft({ ...draft, target: 'aws' })} />
            <span>
              <strong>{t('AWS (MediaConvert)')}</strong>
              <small>{t("Renders in your company's AWS account.")}</small>
            </span>
          </label>
        </fieldset>
        {draft.target === 'aws' && (
          <div className="aws-settings">
            <label className="field">
              <span>{t('Credentials')}</span>
              <select value={aws.credentials} onChange={(e) => setAws({ credentials: e.target.value as AppSettings['aws']['credentials'] })}>
                <option value="profile">{t('AWS profile')}</option>
                <option value="keys">{t('Access keys')}</option>
                <option value="env">{t('Environment variables')}</option>
              </select>
            </label>
            {aws.credentials === 'profile' && (
              <label className="field">
                <span>{t('Profile')}</span>
                <input list="aws-profiles" value={aws.profile} onChange={(e) => setAws({ profile: e.target.value })} />
                <datalist id="aws-profiles">
                  {profiles.map((p) => (
                    <option key={p} value={p} />
                  ))}
                </datalist>
              </label>
            )}
            {aws.credentials === 'keys' && (
              <>
                {info && !info.secureKeyStorage && (
                  <p className="warning-text">{t('This computer cannot store keys encrypted; use an AWS profile instead.')}</p>
                )}
                <label className="field">
                  <span>{t('Access key ID')}</span>
                  <input autoComplete="off" value={keys.accessKeyId} onChange={(e) => setKeys({ ...keys, accessKeyId: e.target.value })} />
                </label>
                <label className="field">
                  <span>{t('Secret access key')}</span>
                  <input type="password" autoComplete="off" value={keys.secretAccessKey} onChange={(e) => setKeys({ ...keys, secretAccessKey: e.target.value })} />
                </label>
                <button type="button" className="btn small ghost" onClick={() => void host.clearAwsKeys()}>
                  {t('Forget saved keys')}
                </button>
              </>
            )}
            <div className="field-row">
              <label className="field">
                <span>{t('Region')}</span>
                <input value={aws.region} onChange={(e) => setAws({ region: e.target.value })} />
              </label>
              <label className="field">
                <span>{t('Bucket')}</span>
                <input value={aws.bucket} onChange={(e) => setAws({ bucket: e.target.value })} />
              </label>
            </div>
            <label className="field">
              <span>{t('Function name')}</span>
              <input value={aws.functionName} onChange={(e) => setAws({ functionName: e.target.value })} />
            </label>
            <button type="button" className="btn" disabled={busy} onClick={() => void testConnection()}>
              {t('Test connection')}
            </button>
            {steps && (
              <ul className="steps" aria-label={t('Connection test')}>
                {steps.map((s) => (
                  <li key={s.name} className={s.ok ? 'ok' : 'bad'}>
                    <span aria-hidden="true">{s.ok ? '✓' : '✗'}</span>
                    <strong>{stepLabel(t, s.name)}</strong>
                    <span>{s.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn ghost" onClick={cancel}>
            {t('Cancel')}
          </button>
          <button type="submit" className="btn primary" disabled={busy}>
            {t('Save settings')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The connection test's step names (host ids) in the user's language. */
function stepLabel(t: (key: string) => string, name: string): string {
  const labels: Record<string, string> = {
    credentials: t('Credentials'),
    identity: t('Identity'),
    bucket: t('Bucket'),
    upload: t('Upload'),
    download: t('Download'),
    function: t('Function'),
  };
  return labels[name] ?? name;
}
