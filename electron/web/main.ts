/**
 * `npm run web`: the editor in a browser. Serves the built renderer and the host services on
 * http://127.0.0.1:$PORT/ (default 5190). HOSPUP_DATA_DIR / HOSPUP_EXPORT_DIR are honoured by
 * the services. Opens no browser (`npm start` does). The printed address carries this run's
 * access key (`?token=…`, access.ts); HOSPUP_WEB_TOKEN fixes it instead.
 */
import { portFromEnv, runWebMode } from './run';

runWebMode({
  port: portFromEnv(),
  // Like Jupyter: the address carries this run's access key; open it as printed.
  onReady: (host) => console.log(`Hospup Studio (web mode) at ${host.loginUrl}`),
}).catch((err) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
