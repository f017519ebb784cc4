import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { useEditor } from '../store/editor-store';
import { useApp } from '../store/app-store';
import { errorMessage, startSession } from '../app/session';
import { StartScreen } from './StartScreen';
import { Editor } from './Editor';
import { Notices } from './Notices';

export function App() {
  const { t } = useTranslation();
  const hasProject = useEditor((s) => s.meta !== null);
  const [phase, setPhase] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState('');

  useEffect(() => {
    startSession()
      .then(() => setPhase('ready'))
      .catch((e) => {
        setError(errorMessage(e));
        setPhase('error');
      });
  }, []);

  if (phase === 'loading') {
    return (
      <div className="splash" aria-busy="true">
        <div className="brand-mark">H</div>
        <p>{t('Opening Hospup Studio…')}</p>
      </div>
    );
  }
  if (phase === 'error') {
    return (
      <div className="splash" role="alert">
        <h1>{t('Hospup Studio could not start')}</h1>
        <p>{error}</p>
        <button type="button" className="btn primary" onClick={() => location.reload()}>
          {t('Try again')}
        </button>
      </div>
    );
  }
  return (
    <>
      {hasProject ? <Editor /> : <StartScreen />}
      <Notices />
    </>
  );
}

/** Exported for tests and the bench: whether the app finished its first load. */
export function useAppReady(): boolean {
  return useApp((s) => s.info !== null);
}
