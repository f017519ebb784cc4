/**
 * The two event forms of the deployment guide: API-Gateway-style `{ body: "<json>" }` and a
 * direct object. Both carry an `action` (default `generate`).
 */

import { GENERATOR_ACTIONS, type GeneratorAction } from '../../shared/generator-contract';

/** The actions of the generator contract (shared/generator-contract.ts). */
export type Action = GeneratorAction;
export const ACTIONS: readonly Action[] = GENERATOR_ACTIONS;

export interface ParsedEvent {
  form: 'api' | 'direct';
  action: Action;
  payload: Record<string, unknown>;
}

export class EventError extends Error {
  constructor(message: string, readonly field = '') {
    super(message);
    this.name = 'EventError';
  }
}

export function parseEvent(event: unknown): ParsedEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new EventError('the event must be a JSON object');
  }
  const record = event as Record<string, unknown>;
  let form: ParsedEvent['form'] = 'direct';
  let payload = record;
  if ('body' in record) {
    form = 'api';
    let body = record.body;
    if (typeof body === 'string') {
      const text = record.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new EventError(`not valid JSON: ${(err as Error).message}`, 'body');
      }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EventError('must be a JSON object', 'body');
    payload = body as Record<string, unknown>;
  }
  const query = (record.queryStringParameters ?? {}) as Record<string, unknown>;
  const actionValue = payload.action ?? record.action ?? query.action ?? 'generate';
  if (!ACTIONS.includes(actionValue as Action)) {
    throw new EventError(`must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(actionValue)})`, 'action');
  }
  const { action: _ignored, ...rest } = payload;
  return { form, action: actionValue as Action, payload: rest };
}
