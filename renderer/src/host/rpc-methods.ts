import { HOST_METHODS, type HostCalls } from '../../../shared/api';

/** JSON turns a trailing `undefined` into `null`, which optional arguments refuse: drop them. */
export function trimTrailingUndefined(args: readonly unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

/**
 * The client stubs of every contract method (shared/api.ts HOST_CONTRACT), built from one
 * `call(method, args)` function: both clients (Electron bridge, HTTP) get the same object, and
 * a method added to the contract is there without touching this file.
 */
export function jsonMethods(call: (method: string, args: unknown[]) => Promise<unknown>): HostCalls {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of HOST_METHODS) {
    api[method] = (...args: unknown[]) => call(method, trimTrailingUndefined(args));
  }
  return api as unknown as HostCalls;
}
