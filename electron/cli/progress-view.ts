/** Export progress on a terminal: one redrawn bar on a TTY, plain lines otherwise. */
import type { ExportProgressEvent } from '../services/export/exporter';

const LABELS: Record<string, string> = {
  preparing: 'Preparing',
  hashing: 'Hashing',
  uploading: 'Uploading',
  submitting: 'Submitting',
  rendering: 'Rendering',
  downloading: 'Downloading',
  paused: 'Paused',
  done: 'Done',
};

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

export function describeProgress(event: ExportProgressEvent): string {
  // A pause is a wait, not progress: its reason (and when it tries again) is what matters.
  if (event.phase === 'paused') return `${LABELS.paused.padEnd(11)} ${event.message ?? 'Waiting for the connection to come back…'}`;
  const label = (LABELS[event.phase] ?? event.phase).padEnd(11);
  const percent = `${Math.floor(event.percent).toString().padStart(3)}%`;
  const bytes = event.bytesTotal ? `  ${mb(event.bytesDone ?? 0)}/${mb(event.bytesTotal)} MB` : '';
  const variants = event.variants?.length ? `  ${event.variants.join(', ')}` : '';
  return `${label} ${percent}${bytes}${variants}`;
}

export function createProgressView(stream: NodeJS.WriteStream): { update(event: ExportProgressEvent): void; finish(): void } {
  if (stream.isTTY) {
    let last = '';
    return {
      update(event) {
        if (event.phase === 'paused') {
          const line = describeProgress(event);
          if (line !== last) stream.write(`\r\x1b[2K${line}`);
          last = line;
          return;
        }
        const width = 24;
        const filled = Math.round((Math.min(100, event.percent) / 100) * width);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        const [label, ...rest] = describeProgress(event).split(/(?<=^\S+\s+)/);
        const line = `${label}${bar} ${rest.join('')}`;
        if (line !== last) stream.write(`\r\x1b[2K${line}`);
        last = line;
      },
      finish() {
        if (last) stream.write('\n');
      },
    };
  }
  let lastPhase = '';
  let lastDecile = -1;
  return {
    update(event) {
      const decile = Math.floor(event.percent / 10);
      // Every pause line is new information (its countdown); progress lines only per 10 % (per variant).
      const phase = `${event.phase}${event.variants?.join(',') ?? ''}`;
      if (event.phase !== 'paused' && phase === lastPhase && decile === lastDecile) return;
      lastPhase = phase;
      lastDecile = decile;
      stream.write(`${describeProgress(event)}\n`);
    },
    finish() {},
  };
}
