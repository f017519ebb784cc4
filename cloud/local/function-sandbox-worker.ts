/**
 * The local generation function's thread (started by function-sandbox.ts): the real handler's
 * modules load and the caption renderer warms up at once, before the local cloud has told it
 * its configuration (endpoints, role, keys: the `setup` message); then one reply per request.
 * Built as its own file (local-function.mjs / .cjs) beside the bundles that start a local cloud.
 */
import { parentPort } from 'node:worker_threads';
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

const port = parentPort!;
const post = (message: SandboxMessage) => port.postMessage(message);
const startedAt = performance.now();

// The init phase (no top-level await: the Electron build is CommonJS). A function that cannot
// load ends its sandbox (the rejection is unhandled): pending requests fail, the next one
// starts a new sandbox.
const warmed = import('../lambda/handler').then(({ warmUp }) => warmUp()).catch((err: unknown) => err as Error); // the bundled fonts, as the local config
let configure!: (setup: SandboxSetup) => void;
const configured = new Promise<SandboxSetup>((resolve) => (configure = resolve));
const ready = configured.then(async (setup) => {
  const write = setup.log ? (line: string) => post({ type: 'log', line }) : undefined;
  const handler = await loadLocalGenerator(setup, write);
  // Requests need not wait for the warm-up; the log says when it ended (Lambda's INIT report).
  void Promise.all([warmed, import('../lambda/log')]).then(([failure, { createLogger }]) => {
    if (!write) return;
    const logger = createLogger({ service: 'hospup-generator' }, write);
    if (failure) logger.warn('warm-up failed', { error: failure.message });
    else logger.info('init', { init_ms: Math.round(performance.now() - startedAt) });
  });
  post({ type: 'ready' });
  return handler;
});

port.on('message', (message: SandboxInbound) => {
  if (message.type === 'setup') return configure(message.setup);
  const context = {
    awsRequestId: message.awsRequestId,
    functionName: message.functionName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
  ready.then((handler) => handler(message.event, context)).then(
    (value) => post({ type: 'result', id: message.id, value }),
    (err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      post({ type: 'error', id: message.id, error: { name: error.name, message: error.message, stack: error.stack } });
    },
  );
});
