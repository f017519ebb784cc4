// The generation function's warm-up (one caption per typeface, drawn before any request) gives
// way to a request: it lets the event loop run before each typeface and stops once `stop` says
// a request has come, so a cold export's captions never queue behind it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warmUp } from '../../cloud/lambda/handler';
import { FONT_FAMILIES } from '../../shared/request';

test('the warm-up draws one caption per typeface when nothing comes', async () => {
  assert.deepEqual(await warmUp(), { typefacesDrawn: FONT_FAMILIES.length });
});

test('a request that arrives (an event-loop task) before the warm-up reaches a typeface stops it there', async () => {
  let invoked = false;
  setImmediate(() => (invoked = true)); // as a message from the local cloud would arrive
  assert.deepEqual(await warmUp({ stop: () => invoked }), { typefacesDrawn: 0 });

  let asked = 0;
  assert.deepEqual(await warmUp({ stop: () => ++asked > 1 }), { typefacesDrawn: 1 }, 'stops between typefaces, not only before the first');
});
