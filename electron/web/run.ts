/**
 * Runs the web host until Ctrl+C: used by `npm run web` and by `npm start` when the desktop
 * binary is not available. Port errors are answered in one sentence, not a stack trace.
 */
import { tokenProblem } from './access';
import { DEFAULT_WEB_PORT, startWebHost, type WebHost } from './server';

// The AWS SDK's Node 20 notice is for developers, not for the people using the editor.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** PORT from the environment: undefined when unset, or exits 2 naming the bad value. */
/** The app's first export finds the local cloud ready: it starts 2 s after web mode (host-services.ts). */
const PRESTART_LOCAL_CLOUD_MS = 2000;

export function portFromEnv(raw = process.env.PORT): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a whole number between 0 and 65535 (got "${raw}")`);
    process.exit(2);
  }
  return port;
}

/** HOSPUP_WEB_TOKEN: a fixed access key (tests that start the host themselves); unset: a new one per run. */
export function tokenFromEnv(raw = process.env.HOSPUP_WEB_TOKEN): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const problem = tokenProblem(raw);
  if (problem) {
    console.error(`HOSPUP_WEB_TOKEN ${problem}`);
    process.exit(2);
  }
  return raw;
}

export interface RunWebModeOptions {
  port?: number;
  /** When the default port is taken, take any free one instead of failing (npm start). */
  anyPortIfTaken?: boolean;
  onReady: (host: WebHost) => void | Promise<void>;
}

export async function runWebMode(options: RunWebModeOptions): Promise<void> {
  const port = options.port ?? DEFAULT_WEB_PORT;
  const token = tokenFromEnv();
  let host: WebHost;
  try {
    host = await startWebHost({ port, token, prestartLocalCloudAfterMs: PRESTART_LOCAL_CLOUD_MS });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    if (!options.anyPortIfTaken) {
      console.error(`Port ${port} is already in use: set PORT to another one (PORT=${port + 1} npm run web)`);
      process.exit(1);
    }
    host = await startWebHost({ port: 0, token, prestartLocalCloudAfterMs: PRESTART_LOCAL_CLOUD_MS });
  }
  await options.onReady(host);

  let stopping = false;
  const stop = () => {
    if (stopping) return process.exit(1); // second Ctrl+C: leave now
    stopping = true;
    host.close().then(
      () => process.exit(0),
      (err) => {
        console.error('error while stopping:', (err as Error).message);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
