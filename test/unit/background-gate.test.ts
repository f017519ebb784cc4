// The background gate (closed while an export renders) and the limiter that respects it: no job
// starts while any holder holds the gate; they start, in order, once the last one lets go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBackgroundGate } from '../../electron/services/media/background-gate';
import { createLimiter } from '../../electron/services/media/proxy';

const tick = () => new Promise((r) => setImmediate(r));

test('the gate is closed while anyone holds it; a release counts once', async () => {
  const gate = createBackgroundGate();
  const changes: boolean[] = [];
  gate.onChange((closed) => changes.push(closed));
  assert.equal(gate.closed, false);
  const a = gate.hold();
  const b = gate.hold();
  assert.equal(gate.closed, true);
  a();
  a();
  assert.equal(gate.closed, true, 'b still holds it');
  let opened = false;
  const waiting = gate.opened().then(() => { opened = true; });
  await tick();
  assert.equal(opened, false);
  b();
  await waiting;
  assert.equal(gate.closed, false);
  assert.deepEqual(changes, [true, false]);
});

test('waiting for the gate ends when the work is cancelled', async () => {
  const gate = createBackgroundGate();
  gate.hold();
  const cancel = new AbortController();
  const waiting = gate.opened(cancel.signal);
  cancel.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
});

test('a limiter with a gate starts no job while it is closed, then all that fit, in order', async () => {
  const gate = createBackgroundGate();
  const limit = createLimiter(2, { gate });
  const started: number[] = [];
  const finish: (() => void)[] = [];
  const job = (n: number) => limit(() => new Promise<void>((done) => { started.push(n); finish[n] = done; }));
  const first = job(0);
  await tick();
  assert.deepEqual(started, [0]);
  const release = gate.hold();
  const rest = [job(1), job(2), job(3)];
  await tick();
  assert.deepEqual(started, [0], 'nothing new starts while an export renders');
  finish[0]();
  await first;
  await tick();
  assert.deepEqual(started, [0], 'a finished job frees a slot the gate still holds');
  release();
  await tick();
  assert.deepEqual(started, [0, 1, 2], 'two at a time once open');
  finish[1]();
  finish[2]();
  await tick();
  finish[3]();
  await Promise.all(rest);
  assert.deepEqual(started, [0, 1, 2, 3]);
});

test('closing (the signal) lets queued jobs start so they can end', async () => {
  const gate = createBackgroundGate();
  const closing = new AbortController();
  const limit = createLimiter(1, { gate, signal: closing.signal });
  gate.hold();
  let ran = false;
  const queued = limit(async () => { ran = true; });
  await tick();
  assert.equal(ran, false);
  closing.abort();
  await queued;
  assert.equal(ran, true);
});
