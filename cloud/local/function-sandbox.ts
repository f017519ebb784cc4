/**
 * The generation function in its own thread, as Lambda runs it in its own sandbox: its init
 * phase (modules, SDK clients, fonts, the caption renderer warmed up) runs on the other core
 * while the exporter hashes, probes and uploads, and a request's work never blocks the three
 * servers on the main thread. Requests and replies cross as structured clones of JSON, as they
 * cross Lambda's Invoke API. A sandbox that dies fails its pending requests and is replaced at
 * the next one. Where no thread can start at all (it stops before it is ready, e.g. a packaged
 * app that cannot load the worker's file), the function runs on this thread instead, as it did
 * before: slower, never broken.
 *
 * `prestartFunctionSandbox()` starts one before the local cloud exists (the CLI does, first
 * thing for a local export); `startFunctionSandbox` adopts it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LambdaContext, LocalLambdaHandler } from './lambda-server';
import type { SandboxInbound, SandboxMessage } from './function-sandbox-worker';
import { createLogger } from '../lambda/log';
import { loadLocalGenerator, type LocalGeneratorSetup } from './local-generator';

export interface FunctionSandbox {
  invoke: LocalLambdaHandler;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** The worker's file (tests point it at one that cannot start); default: found beside this module. */
  workerFile?: string;
}

interface WorkerSource {
  /** A file, or the code of an eval worker. */
  file: string;
  eval: boolean;
  workerData?: unknown;
  /** The TypeScript sources through tsx (development). */
  fromSources: boolean;
}

/**
 * The worker's code, first that applies: the file given; the CommonJS bundle built beside this
 * one run with its code cache (dist/node: `local-function.cjs` and `code-cache.cjs`, the cache
 * written after the first reply); the bundle alone (dist-electron); the TypeScript source
 * through tsx.
 */
function workerSource(file?: string): WorkerSource {
  if (file) return { file, eval: false, fromSources: false };
  const beside = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
  const bundle = beside('local-function.cjs');
  const loader = beside('code-cache.cjs');
  if (existsSync(bundle) && existsSync(loader)) {
    const code = `const { requireWithCodeCache } = require(${JSON.stringify(loader)});
const bundle = requireWithCodeCache(${JSON.stringify(bundle)}, 'function');
bundle.exports.serveFunction(require('node:worker_threads').parentPort, { afterFirstReply: () => bundle.saveCache() });`;
    return { file: code, eval: true, workerData: { viaCodeCache: true }, fromSources: false };
  }
  for (const name of ['local-function.mjs', 'local-function.cjs']) {
    if (existsSync(beside(name))) return { file: beside(name), eval: false, fromSources: false };
  }
  // Sources: a worker does not inherit tsx's loader, so it registers it first.
  const entry = new URL('./function-sandbox-worker.ts', import.meta.url).href;
  if (typeof import.meta.resolve !== 'function') throw new Error(`the function's worker file (local-function.mjs / .cjs) is not beside ${fileURLToPath(import.meta.url)}`);
  const tsx = import.meta.resolve('tsx/esm/api');
  return { file: `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, eval: true, fromSources: true };
}

interface Thread {
  worker: Worker;
  /** Whether it has said `ready` (loaded and configured). */
  ready: boolean;
  /** Set once it has stopped, with why. */
  stopped?: Error;
  listen(listener: (message: SandboxMessage) => void): void;
  onStop(handler: (err: Error) => void): void;
}

function startThread(workerFile?: string): Thread {
  const source = workerSource(workerFile);
  const worker = new Worker(source.file, { eval: source.eval, workerData: source.workerData });
  worker.unref(); // an idle function never keeps the process alive
  let listener: (message: SandboxMessage) => void = () => {};
  const stopHandlers: ((err: Error) => void)[] = [];
  const thread: Thread = {
    worker,
    ready: false,
    listen: (l) => (listener = l),
    onStop: (h) => (thread.stopped ? h(thread.stopped) : stopHandlers.push(h)),
  };
  worker.on('message', (message: SandboxMessage) => {
    if (message.type === 'ready') thread.ready = true;
    listener(message);
  });
  const stop = (err: Error) => {
    if (thread.stopped) return;
    thread.stopped = err;
    for (const h of stopHandlers) h(err);
  };
  worker.on('error', (err) => stop(new Error(`the generation function stopped: ${err.message}`)));
  worker.on('exit', (code) => stop(new Error(`the generation function stopped (exit ${code})`)));
  return thread;
}

let spare: Thread | undefined;

/** Starts a sandbox ahead of the local cloud; the next startFunctionSandbox takes it over. */
export function prestartFunctionSandbox(): void {
  // Built code only: a worker that registers tsx keeps the process alive until it is
  // terminated, and a spare nobody adopts (an export refused before its local cloud starts,
  // a test calling the CLI in-process) never would be.
  try {
    if (workerSource().fromSources) return;
    if (!spare || spare.stopped) spare = startThread();
  } catch {
    // no worker file: startFunctionSandbox runs the function on the main thread and says so
  }
}

export function startFunctionSandbox(setup: LocalGeneratorSetup, log?: (line: string) => void, options: SandboxOptions = {}): FunctionSandbox {
  let current: Thread | undefined;
  let onThisThread: Promise<LocalLambdaHandler> | undefined;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, { event: unknown; context: LambdaContext; resolve(value: unknown): void; reject(err: Error): void }>();

  const sayNoThread = (err: Error) => {
    if (log) createLogger({ service: 'hospup-generator' }, log).warn('no worker thread: the function runs on the main thread', { error: err.message });
  };

  /** The handler on this thread: where a worker cannot run. */
  const inProcess = (): Promise<LocalLambdaHandler> => (onThisThread ??= loadLocalGenerator(setup, log).then((handler) => handler as LocalLambdaHandler).catch((err: unknown) => {
    onThisThread = undefined; // the next request tries again
    throw err;
  }));

  const adopt = (): Thread => {
    const usable = spare && !spare.stopped && !options.workerFile;
    const thread = usable ? spare! : startThread(options.workerFile);
    if (usable) spare = undefined;
    thread.listen((message) => {
      if (message.type === 'log') return log?.(message.line);
      if (message.type === 'ready') return;
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.type === 'result') waiter.resolve(message.value);
      else waiter.reject(Object.assign(new Error(message.error.message), { name: message.error.name, stack: message.error.stack }));
    });
    thread.onStop((stopped) => {
      if (current === thread) current = undefined;
      const waiting = [...pending.values()];
      pending.clear();
      const err = closed ? new Error('the local cloud is closed') : stopped;
      if (!thread.ready && !closed) {
        // It never reached the handler: no request ran there, each one runs here instead.
        sayNoThread(err);
        current = undefined;
        threadsUnavailable = true;
        for (const waiter of waiting) inProcess().then((handler) => handler(waiter.event, waiter.context)).then(waiter.resolve, waiter.reject);
        return;
      }
      for (const waiter of waiting) waiter.reject(err);
    });
    const message: SandboxInbound = { type: 'setup', setup: { ...setup, log: Boolean(log) } };
    thread.worker.postMessage(message);
    return thread;
  };
  let threadsUnavailable = false;
  /** A thread, or none when one cannot even be created (the function then runs here). */
  const tryAdopt = (): Thread | undefined => {
    try {
      return adopt();
    } catch (err) {
      sayNoThread(err as Error);
      threadsUnavailable = true;
      return undefined;
    }
  };
  current = tryAdopt();

  return {
    invoke: (event: unknown, context: LambdaContext) => new Promise((resolve, reject) => {
      if (closed) return reject(new Error('the local cloud is closed'));
      const thread = threadsUnavailable ? undefined : (current ??= tryAdopt());
      if (!thread) return void inProcess().then((handler) => handler(event, context)).then(resolve, reject);
      const id = nextId++;
      pending.set(id, { event, context, resolve, reject });
      const message: SandboxInbound = {
        type: 'invoke',
        id,
        event,
        awsRequestId: context.awsRequestId,
        functionName: context.functionName,
        deadlineMs: Date.now() + (context.getRemainingTimeInMillis?.() ?? 900_000),
      };
      thread.worker.postMessage(message);
    }),
    close: async () => {
      closed = true;
      const stopping = current;
      current = undefined;
      await stopping?.worker.terminate();
    },
  };
}
