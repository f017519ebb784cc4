/** Turning schema failures into messages people can act on: `segments[1].end_time: must be ...`. */
import type { z } from 'zod';

export interface FieldError {
  /** Dotted path with indexes, e.g. `segments[1].end_time`; empty for the whole document. */
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function fieldErrorToString(error: FieldError): string {
  return error.path ? `${error.path}: ${error.message}` : error.message;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  // Values JSON cannot carry (an in-process caller can): named, not printed as JavaScript.
  if (typeof value === 'number' && Number.isNaN(value)) return 'a value that is not a number';
  if (value === Infinity || value === -Infinity) return 'an infinite number';
  if (typeof value === 'symbol' || typeof value === 'function' || value instanceof Map || value instanceof Set) return `a ${typeof value === 'object' ? value.constructor.name : typeof value}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  string: 'a text string',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
  int: 'a whole number',
};

/** One plain sentence per zod issue (zod must be called with `reportInput: true`). */
export function issueToFieldError(issue: z.core.$ZodIssue): FieldError {
  const path = formatPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return { path, message: 'is required' };
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return { path, message: `must be ${expected} (got ${describeValue(input)})` };
    }
    case 'too_small':
      if (issue.origin === 'array') return { path, message: `needs at least ${issue.minimum} item(s)` };
      if (issue.origin === 'string') return { path, message: 'must not be empty' };
      return {
        path,
        message: `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum} (got ${describeValue(input)})`,
      };
    case 'too_big':
      if (issue.origin === 'array') return { path, message: `allows at most ${issue.maximum} item(s)` };
      if (issue.origin === 'string') {
        const length = typeof input === 'string' ? input.length : undefined;
        return { path, message: `is too long: at most ${issue.maximum} characters${length === undefined ? '' : ` (got ${length})`}` };
      }
      return {
        path,
        message: `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum} (got ${describeValue(input)})`,
      };
    case 'invalid_value':
      return {
        path,
        message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${describeValue(input)})`,
      };
    case 'invalid_union': {
      if (input === undefined) return { path, message: 'is required' };
      // The right type with a failed check (a text id that is too long): say what the check wants.
      const typed = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.code !== 'invalid_type'));
      if (typed) return issueToFieldError({ ...typed[0], path: [...issue.path, ...typed[0].path], input } as z.core.$ZodIssue);
      return { path, message: `has the wrong type (got ${describeValue(input)})` };
    }
    case 'unrecognized_keys':
      return { path, message: `unknown field(s): ${issue.keys.join(', ')}` };
    default:
      return { path, message: input === undefined ? issue.message : `${issue.message} (got ${describeValue(input)})` };
  }
}
