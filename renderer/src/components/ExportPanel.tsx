import { useEffect, useRef, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { CostEstimate, ExportFile, ExportPhase, ExportProgress } from '../../../shared/api';
import { host } from '../host';
import { useApp } from '../store/app-store';
import { cancelExport, errorMessage, exportDraft, isFinished, refreshExports, showInFolder, startExport } from '../app/session';
import { useEditor } from '../store/editor-store';
import { isVariantDraft } from '../../../shared/draft-variants';
import { VariantMatrix } from './variants/VariantMatrix';
import { RenderNotice } from './RenderNotice';
import { Icon } from './Icon';
import { friendlyExportError } from './export-errors';

const PHASES: ExportPhase[] = ['hashing', 'uploading', 'rendering', 'downloading'];

/** The export drawer: progress by phase, errors with retry, the result and the history. */
export function ExportPanel() {
  const { t, i18n } = useTranslation();
  // Dates in the app's language, not the browser's (French UI on an English system).
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  const progress = useApp((s) => s.exportProgress);
  const history = useApp((s) => s.exportHistory);
  const settings = useApp((s) => s.settings);
  const confirm = useApp((s) => s.exportConfirm);
  const [estimate, setEstimate] = useState<CostEstimate | null>(null);
  const pick = useApp((s) => s.exportPick);
  const variants = useEditor((s) => isVariantDraft(s));

  useEffect(() => {
    void refreshExports();
  }, []);

  useEffect(() => {
    if (settings?.target !== 'aws' || !confirm) return;
    // One estimate for every ticked video.
    const project = exportDraft();
    if (!project) return;
    host
      .estimateCost(project)
      .then(setEstimate)
      .catch(() => setEstimate(null));
  }, [settings?.target, confirm, pick]);

  const close = () => useApp.setState({ exportPanelOpen: false });
  const running = progress !== null && !isFinished(progress.phase);

  return (
    <div className="drawer-backdrop" onPointerDown={(e) => e.target === e.currentTarget && !running && close()}>
      <aside className="drawer export-panel" role="dialog" aria-modal="false" aria-label={t('Export video')}>
        <header className="drawer-head">
          <h2>{t('Export video')}</h2>
          <button type="button" className="icon-btn" aria-label={t('Close')} onClick={close}>
            <Icon name="close" />
          </button>
        </header>
        <p className="muted">
          {settings?.target === 'aws' ? t('Rendering in your AWS account.') : t('Rendering on this computer (local cloud).')}
        </p>
        {variants && <VariantMatrix disabled={running} />}
        <RenderNotice />
        {estimate && (
          <div className="estimate">
            <h3>{t('Estimated cost')}</h3>
            <ul>
              {estimate.lines.map((l) => (
                <li key={l.label}>
                  <span>{l.label}</span>
                  <span>${l.usd.toFixed(4)}</span>
                </li>
              ))}
              <li className="total">
                <span>{t('Total')}</span>
                <span>${estimate.totalUsd.toFixed(4)}</span>
              </li>
            </ul>
            <small className="muted">
              {t('Rates of {{date}}', { date: estimate.ratesDate })} · {estimate.ratesSource}
            </small>
          </div>
        )}
        {confirm && !progress && (
          <button type="button" className="btn primary" onClick={() => void startExport(true)}>
            {variants ? t('Export the ticked videos') : t('Render my video')}
          </button>
        )}
        {progress ? <ProgressView progress={progress} /> : !confirm && <p>{t('Press Export to render your video.')}</p>}
        {!running && progress && (progress.phase === 'done' || progress.phase === 'cancelled') && (
          <button type="button" className="btn" onClick={() => void startExport(true)}>
            {t('Start again')}
          </button>
        )}
        <section className="history" aria-label={t('Export history')}>
          <h3>{t('Previous exports')}</h3>
          {history.length === 0 ? (
            <p className="muted">{t('Nothing exported yet.')}</p>
          ) : (
            <ul>
              {history.slice(0, 20).map((r) => (
                <li key={r.id} className={`history-item ${r.status}`}>
                  <div>
                    <div className="history-name">{r.projectName}</div>
                    <div className="muted small">
                      {dateFormat.format(new Date(r.startedAt))} · {statusLabel(t, r.status)}
                      {r.sizeBytes ? ` · ${t('{{size}} MB', { size: mb(r.sizeBytes) })}` : ''}
                      {r.billedMinutes !== undefined ? ` · ${t('{{m}} billed min', { m: r.billedMinutes })}` : ''}
                    </div>
                    {r.files && <FileList files={r.files} />}
                  </div>
                  {r.downloadUrl && (
                    <a className="btn small ghost" href={r.downloadUrl} download aria-label={t('Download {{name}}', { name: r.projectName })}>
                      <Icon name="export" size={14} />
                    </a>
                  )}
                  {r.outputPath && r.status === 'done' && !r.downloadUrl && !r.files?.some((f) => f.downloadUrl) && (
                    <button type="button" className="btn small ghost" onClick={() => void showInFolder(r.outputPath!)} aria-label={t('Show {{name}} in folder', { name: r.projectName })}>
                      <Icon name="folder" size={14} />
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </aside>
    </div>
  );
}

function statusLabel(t: (k: string) => string, status: string): string {
  return status === 'done' ? t('Done') : status === 'failed' ? t('Failed') : status === 'cancelled' ? t('Cancelled') : t('Running');
}

function phaseLabel(t: (k: string) => string, phase: ExportPhase): string {
  const labels: Record<ExportPhase, string> = {
    preparing: t('Preparing'),
    hashing: t('Checking files'),
    uploading: t('Uploading'),
    submitting: t('Starting the render'),
    rendering: t('Rendering'),
    downloading: t('Downloading'),
    paused: t('Waiting for the connection'),
    done: t('Done'),
    failed: t('Failed'),
    cancelled: t('Cancelled'),
  };
  return labels[phase];
}

function ProgressView({ progress }: { progress: ExportProgress }) {
  const { t } = useTranslation();
  // While paused (connection lost), keep showing the phase that was running.
  const lastPhase = useRef<ExportPhase>('preparing');
  if (progress.phase !== 'paused') lastPhase.current = progress.phase;
  const paused = progress.phase === 'paused';
  const shownPhase = paused ? lastPhase.current : progress.phase;
  const phaseIndex = PHASES.indexOf(shownPhase === 'submitting' ? 'rendering' : shownPhase);
  const done = progress.phase === 'done';
  const finished = isFinished(progress.phase);

  if (progress.phase === 'failed') {
    const error = progress.error;
    return (
      <div className="export-error" role="alert">
        <h3>{t('The export did not work')}</h3>
        <p>{error ? friendlyExportError(t, error, errorMessage) : t('Something went wrong.')}</p>
        <button type="button" className="btn primary" onClick={() => void startExport(true)}>
          {t('Retry')}
        </button>
        {error && <details><summary>{t('Details')}</summary><code>{error.code}: {error.message}</code></details>}
      </div>
    );
  }
  if (progress.phase === 'cancelled') {
    return <p role="status">{t('Export cancelled.')}</p>;
  }

  return (
    <div className="export-progress">
      <ol className="phases">
        {PHASES.map((phase, i) => {
          const state = done || i < phaseIndex ? 'done' : i === phaseIndex ? 'active' : 'waiting';
          const percent = state === 'done' ? 100 : state === 'active' ? progress.percent : 0;
          return (
            <li key={phase} className={`phase ${state}`}>
              <div className="phase-head">
                <span>{phaseLabel(t, phase)}</span>
                <span className="phase-detail">
                  {state === 'active' && phase === 'uploading' && progress.bytesTotal
                    ? t('{{done}} / {{total}} MB', { done: mb(progress.bytesDone ?? 0), total: mb(progress.bytesTotal) })
                    : state === 'done'
                      ? '✓'
                      : state === 'active'
                        ? `${Math.round(percent)}%`
                        : ''}
                </span>
              </div>
              <div className="bar" role="progressbar" aria-label={phaseLabel(t, phase)} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)}>
                {/* Scaled, not resized: the compositor animates it, with no layout or paint per frame while a render needs the cores. */}
                <div className="bar-fill" style={{ transform: `scaleX(${percent / 100})` }} />
              </div>
            </li>
          );
        })}
      </ol>
      {paused && (
        <p className="warning-text" role="status">
          {t('The connection was lost. The export will continue by itself when it is back.')}
        </p>
      )}
      {renderStep(t, progress) && <p className="muted small">{renderStep(t, progress)}</p>}
      {progress.warnings?.map((w) => (
        <p key={w} className="warning-text">
          {w}
        </p>
      ))}
      {done ? (
        <div className="export-done" role="status">
          <p className="done-title">{t('Export complete')}</p>
          {progress.outputPath && <p className="muted small path">{progress.outputPath}</p>}
          {progress.files && <FileList files={progress.files} />}
          {/* In a browser the file is on the server's disk: offer it as a download instead of a folder. */}
          {progress.downloadUrl ? (
            <a className="btn primary" href={progress.downloadUrl} download>
              <Icon name="export" />
              {t('Download the video')}
            </a>
          ) : (
            progress.outputPath && !progress.files?.some((f) => f.downloadUrl) && (
              <button type="button" className="btn primary" onClick={() => void showInFolder(progress.outputPath!)}>
                <Icon name="folder" />
                {t('Show in folder')}
              </button>
            )
          )}
        </div>
      ) : (
        !finished && (
          <button type="button" className="btn danger" onClick={() => void cancelExport()}>
            {t('Cancel')}
          </button>
        )
      )}
    </div>
  );
}

/**
 * What the render is doing, in plain words. The host's message is MediaConvert's raw phase
 * (PROBING, TRANSCODING, UPLOADING); other messages repeat what the panel already says.
 */
function renderStep(t: (k: string) => string, progress: ExportProgress): string {
  if (progress.phase !== 'rendering') return '';
  const steps: Record<string, string> = {
    PROBING: t('Reading the clips'),
    TRANSCODING: t('Putting the video together'),
    UPLOADING: t('Saving the finished video'),
  };
  return steps[progress.message ?? ''] ?? '';
}

/** The videos of a variant export, each with its download (web mode). */
function FileList({ files }: { files: ExportFile[] }) {
  const { t } = useTranslation();
  return (
    <ul className="variant-files" aria-label={t('Exported files')}>
      {files.map((f) => (
        <li key={f.label} data-testid={`file-${f.label}`}>
          <span className="path">{f.outputPath.split(/[\\/]/).pop()}</span>
          <span className="muted">{t('{{size}} MB', { size: mb(f.sizeBytes) })}</span>
          {f.downloadUrl && (
            <a className="btn small ghost" href={f.downloadUrl} download aria-label={t('Download {{name}}', { name: f.label })}>
              <Icon name="export" size={14} />
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

