/**
 * `npm run web`: the editor in a browser. Serves the built renderer and the host services on
 * http://127.0.0.1:$PORT/ (default 5190). HOSPUP_DATA_DIR / HOSPUP_EXPORT_DIR are honoured by
 * the services. Opens no browser (`npm start` does).
 */
import { portFromEnv, runWebMode } from './run';

runWebMode({
  port: portFromEnv(),
  onReady: (host) => console.log(`Hospup Studio (web mode) at ${host.url}`),
}).catch((err) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
