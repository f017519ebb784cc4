import type { HostApi, HostMethod } from '../../../shared/api';

/** HostApi methods that travel as JSON arguments unchanged (everything but Files and events). */
export type JsonHostMethod = Exclude<keyof HostApi, 'importFiles' | 'relinkMedia' | 'onEvent'> & HostMethod;

/** Every JSON method, listed once so both clients build the same object. */
export const JSON_HOST_METHODS = [
  'getAppInfo',
  'getSettings',
  'updateSettings',
  'importPaths',
  'registerMedia',
  'listProjects',
  'createProject',
  'openProject',
  'saveProject',
  'autosaveProject',
  'deleteProject',
  'listTemplates',
  'applyTemplate',
  'saveAsTemplate',
  'startExport',
  'cancelExport',
  'listExports',
  'showInFolder',
  'estimateCost',
  'listAwsProfiles',
  'testConnection',
  'setAwsKeys',
  'clearAwsKeys',
] as const satisfies readonly JsonHostMethod[];

// Fails to compile when HostApi gains a JSON method that is missing from the list above.
type Missing = Exclude<JsonHostMethod, (typeof JSON_HOST_METHODS)[number]>;
const allListed: [Missing] extends [never] ? true : Missing = true;
void allListed;

/** JSON turns a trailing `undefined` into `null`, which optional arguments refuse: drop them. */
export function trimTrailingUndefined(args: readonly unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}

export type JsonMethods = Pick<HostApi, JsonHostMethod>;

/** Builds the JSON part of a HostApi from one `call(method, args)` function. */
export function jsonMethods(call: (method: JsonHostMethod, args: unknown[]) => Promise<unknown>): JsonMethods {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of JSON_HOST_METHODS) {
    api[method] = (...args: unknown[]) => call(method, trimTrailingUndefined(args));
  }
  return api as unknown as JsonMethods;
}
