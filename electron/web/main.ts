/**
 * `npm run web`: the editor in a browser. Serves the built renderer and the host services on
 * http://127.0.0.1:$PORT/ (default 5190). HOSPUP_DATA_DIR / HOSPUP_EXPORT_DIR are honoured by
 * the services. Opens no browser.
 */
import { DEFAULT_WEB_PORT, startWebHost } from './server';

// The AWS SDK's Node 20 notice is for developers, not for the people using the editor.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function portFromEnv(): number {
  const raw = process.env.PORT;
  if (raw === undefined || raw === '') return DEFAULT_WEB_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a whole number between 0 and 65535 (got "${raw}")`);
    process.exit(2);
  }
  return port;
}

async function main() {
  const port = portFromEnv();
  let host;
  try {
    host = await startWebHost({ port });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      console.error(`Port ${port} is already in use: set PORT to another one (PORT=5191 npm run web)`);
      process.exit(1);
    }
    throw err;
  }
  console.log(`Hospup Studio (web mode) at ${host.url}`);

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

main().catch((err) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
