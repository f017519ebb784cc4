/**
 * The local generation function's thread (started by function-sandbox.ts): the real handler's
 * modules load and the caption renderer warms up at once, before the local cloud has told it
 * its configuration (endpoints, role, keys: the `setup` message); then one reply per request.
 * Built as its own file (local-function.mjs / .cjs) beside the bundles that start a local cloud.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { loadLocalGenerator, type LocalGeneratorSetup } from './local-generator';

export interface SandboxSetup extends LocalGeneratorSetup {
  /** Whether the function's log lines are wanted (sent back as `log` messages). */
  log: boolean;
}

export type SandboxInbound =
  | { type: 'setup'; setup: SandboxSetup }
  | { type: 'invoke'; id: number; event: unknown; awsRequestId?: string; functionName?: string; deadlineMs: number };

export type SandboxMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: { name: string; message: string; stack?: string } }
  | { type: 'log'; line: string }
  /** Loaded and configured: requests from now on reach the handler. */
  | { type: 'ready' };

/** What starts the thread may ask for (the code-cache bootstrap, function-sandbox.ts). */
export interface ServeHooks {
  /** Called once, after the first reply has been posted: the function has done its work once. */
  afterFirstReply?: () => void;
}

/** Loads the function and answers the local cloud's messages on `port` (this thread's whole job). */
export function serveFunction(port: MessagePort, hooks: ServeHooks = {}): void {
  const post = (message: SandboxMessage) => port.postMessage(message);
  const startedAt = performance.now();

  // The init phase (no top-level await: the Electron build is CommonJS). A function that cannot
  // load ends its sandbox (the rejection is unhandled): pending requests fail, the next one
  // starts a new sandbox.
  let invoked = false;
  const warmed = import('../lambda/handler') // the bundled fonts, as the local config
    .then(({ warmUp }) => warmUp({ stop: () => invoked }))
    .catch((err: unknown) => err as Error);
  let configure!: (setup: SandboxSetup) => void;
  const configured = new Promise<SandboxSetup>((resolve) => (configure = resolve));
  const ready = configured.then(async (setup) => {
    const write = setup.log ? (line: string) => post({ type: 'log', line }) : undefined;
    const handler = await loadLocalGenerator(setup, write);
    // Requests need not wait for the warm-up; the log says when it ended (Lambda's INIT report).
    void Promise.all([warmed, import('../lambda/log')]).then(([warm, { createLogger }]) => {
      if (!write) return;
      const logger = createLogger({ service: 'hospup-generator' }, write);
      if (warm instanceof Error) logger.warn('warm-up failed', { error: warm.message });
      else logger.info('init', { init_ms: Math.round(performance.now() - startedAt), typefaces_warmed: warm.typefacesDrawn });
    });
    post({ type: 'ready' });
    return handler;
  });

  let replied = false;
  const reply = (message: SandboxMessage) => {
    post(message);
    if (replied) return;
    replied = true;
    setImmediate(() => hooks.afterFirstReply?.()); // after the reply has left
  };

  port.on('message', (message: SandboxInbound) => {
    if (message.type === 'setup') return configure(message.setup);
    invoked = true;
    const context = {
      awsRequestId: message.awsRequestId,
      functionName: message.functionName,
      getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
    };
    ready.then((handler) => handler(message.event, context)).then(
      (value) => reply({ type: 'result', id: message.id, value }),
      (err: unknown) => {
        const error = err instanceof Error ? err : new Error(String(err));
        reply({ type: 'error', id: message.id, error: { name: error.name, message: error.message, stack: error.stack } });
      },
    );
  });
}

// Started as a worker's file: serve at once. The code-cache bootstrap (function-sandbox.ts)
// loads this module itself and calls serveFunction with its hooks.
if (parentPort && !(workerData as { viaCodeCache?: boolean } | undefined)?.viaCodeCache) serveFunction(parentPort);
