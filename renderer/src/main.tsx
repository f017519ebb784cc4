// First: the startup requests go to the host while the rest of the code is evaluated.
import './app/startup-requests';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { i18n } from './i18n';
import { App } from './components/App';
import { useEditor } from './store/editor-store';
import { usePlayback } from './store/playback-store';
import './styles/app.css';

// Read-only handle for end-to-end tests and the editor benchmark (state inspection, timing).
(window as unknown as { __hospup: unknown }).__hospup = { editor: useEditor, playback: usePlayback };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
