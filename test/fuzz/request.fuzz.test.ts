/**
 * Fuzz: the request parser (shared/request.ts) on hostile input. It never throws, answers
 * quickly, and every refusal names its field in plain words (only a document that is not an
 * object at all is refused as a whole).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseGenerationRequest } from '../../shared/request';
import { FUZZ, plainWords, requestInput } from './arbitraries';

const isObjectDocument = (input: unknown) => {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return false;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value);
};

test('the request parser refuses hostile input by field, in plain words, without throwing or stalling', () => {
  fc.assert(
    fc.property(requestInput, (input) => {
      const started = performance.now();
      const result = parseGenerationRequest(input);
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
      if (result.ok) return;
      assert.ok(result.errors.length > 0);
      for (const error of result.errors) {
        assert.ok(plainWords(error.message), `not plain words: ${error.path}: ${error.message}`);
        assert.ok(error.message.length < 600, `a ${error.message.length}-character message for ${error.path}`);
        if (isObjectDocument(input)) assert.notEqual(error.path, '', `an object refused without naming a field: ${error.message}`);
      }
    }),
    { seed: FUZZ.seed, numRuns: FUZZ.numRuns * 5 },
  );
});
