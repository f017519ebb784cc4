import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { useApp } from '../store/app-store';
import { closeProject, errorMessage, saver } from '../app/session';
import { isHostError } from '../host';
import { Modal } from './Modal';

/** What to do about a failed save, in plain words (the host's code says why it failed). */
export function saveFailureText(t: (key: string, o?: Record<string, unknown>) => string, error: unknown): string {
  const code = isHostError(error) ? error.code : 'internal';
  const detail = errorMessage(error);
  switch (code) {
    case 'disk-full':
      return t('The disk is full. Free some space (empty the trash, delete old exports), then press Try again.');
    case 'permission-denied':
      return t('Hospup Studio is not allowed to write its project folder. Check the folder’s permissions, then press Try again.');
    case 'network':
      return t('Hospup Studio’s server does not answer. Check that it is still running, then press Try again.');
    default:
      return t('Saving failed: {{detail}}', { detail });
  }
}

/** The top bar's save state, in two words. */
export function SaveIndicator() {
  const { t } = useTranslation();
  const status = useApp((s) => s.saveState.status);
  const text =
    status === 'saved' ? t('All changes saved') : status === 'saving' ? t('Saving…') : status === 'failed' ? t('Not saved') : t('Unsaved changes');
  return (
    <span className={`save-status ${status}`} data-testid="save-status">
      {text}
    </span>
  );
}

/** A failed save: an alert under the top bar with what to do and a Try again button. */
export function SaveFailedBanner() {
  const { t } = useTranslation();
  const state = useApp((s) => s.saveState);
  const [, tick] = useState(0);
  // The countdown to the next automatic try.
  useEffect(() => {
    if (state.status !== 'failed') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [state.status]);

  if (state.status !== 'failed') return null;
  const seconds = Math.max(0, Math.ceil(((state.retryAt ?? 0) - Date.now()) / 1000));
  return (
      <div className="save-failed banner" role="alert" data-testid="save-failed">
        <strong>{t('Your changes are not saved.')}</strong>{' '}
        <span>{saveFailureText(t, state.error)}</span>{' '}
        <span className="muted">{t('They are kept in this window until a save works (next try in {{seconds}} s).', { seconds })}</span>
        <button type="button" className="btn small" onClick={() => void saver.flush()}>
          {t('Try again')}
        </button>
      </div>
  );
}

/** Closing was stopped because the changes could not be saved: keep editing, or close anyway. */
export function CloseBlockedDialog() {
  const { t } = useTranslation();
  const state = useApp((s) => s.saveState);
  const keep = () => useApp.setState({ closeBlocked: false });
  return (
    <Modal title={t('Your last changes are not saved')} onClose={keep}>
      <p>{saveFailureText(t, state.error)}</p>
      <p className="muted">{t('If you close now, they stay in this window’s recovery journal and come back when you open the project here again.')}</p>
      <div className="modal-actions">
        <button type="button" className="btn primary" onClick={keep}>
          {t('Keep editing')}
        </button>
        <button type="button" className="btn" onClick={() => void saver.save().then((ok) => (ok ? closeProject() : undefined))}>
          {t('Try again')}
        </button>
        <button type="button" className="btn danger" onClick={() => void closeProject(true)}>
          {t('Close anyway')}
        </button>
      </div>
    </Modal>
  );
}
