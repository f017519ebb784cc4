import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  billedMinutes,
  billedSeconds,
  COST_RATES,
  estimateExportCost,
  formatUsd,
  frameRateClass,
  resolutionClass,
  type CostRates,
} from '../../shared/cost';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

test('billing: whole seconds rounded up, 10 s minimum per output', () => {
  assert.equal(billedSeconds(3), 10);
  assert.equal(billedSeconds(0), 10);
  assert.equal(billedSeconds(10), 10);
  assert.equal(billedSeconds(10.2), 11);
  assert.equal(billedSeconds(10.0000000001), 10, 'float noise does not bill an extra second');
  assert.equal(billedMinutes(45), 0.75);
  assert.equal(billedMinutes(90), 1.5);
  assert.throws(() => billedSeconds(-1), /outputDurationSec: must be a non-negative number/);
  assert.throws(() => billedSeconds(Number.NaN), /outputDurationSec/);
});

test('resolution class by pixel count: portrait 1080x1920 is HD, 4K is UHD', () => {
  assert.equal(resolutionClass(640, 360), 'SD');
  assert.equal(resolutionClass(720, 1280), 'HD');
  assert.equal(resolutionClass(1080, 1920), 'HD');
  assert.equal(resolutionClass(1920, 1080), 'HD');
  assert.equal(resolutionClass(1080, 1080), 'HD');
  assert.equal(resolutionClass(2160, 3840), 'UHD');
  assert.throws(() => resolutionClass(8192, 4320), /width x height: 8192x4320/);
  assert.throws(() => resolutionClass(0, 100), /width: must be a positive number/);
});

test('frame-rate class: up to 30, up to 60, nothing above', () => {
  assert.equal(frameRateClass(25), 'upTo30');
  assert.equal(frameRateClass(30), 'upTo30');
  assert.equal(frameRateClass(29.97), 'upTo30');
  assert.equal(frameRateClass(50), 'upTo60');
  assert.equal(frameRateClass(60), 'upTo60');
  assert.throws(() => frameRateClass(120), /fps: 120/);
});

test('a 30 s 1080x1920 30 fps reel on the Basic tier', () => {
  const e = estimateExportCost({
    outputDurationSec: 30, width: 1080, height: 1920, fps: 30,
    sourceBytes: 200 * MiB, outputBytesEstimate: 40 * MiB,
  });
  assert.equal(e.tier, 'basic');
  assert.equal(e.resolutionClass, 'HD');
  assert.equal(e.frameRateClass, 'upTo30');
  assert.equal(e.billedMinutes, 0.5);
  const mc = e.items.find((i) => i.id === 'mediaconvert')!;
  assert.equal(mc.unitPriceUsd, COST_RATES.mediaconvertPerMinute.basic.HD.upTo30);
  assert.equal(mc.usd, 0.5 * 0.015);
  const storage = e.items.find((i) => i.id === 's3-storage')!;
  assert.ok(Math.abs(storage.usd - (240 / 1024) * 0.023) < 1e-6);
  const out = e.items.find((i) => i.id === 's3-transfer-out')!;
  assert.ok(Math.abs(out.usd - (40 / 1024) * 0.09) < 1e-6);
  const sum = e.items.reduce((s, i) => s + i.usd, 0);
  assert.ok(Math.abs(e.totalUsd - sum) < 1e-6);
  assert.equal(e.rates.region, COST_RATES.region);
  assert.match(e.rates.retrieved, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(e.rates.sources.every((s) => s.startsWith('https://aws.amazon.com/')));
});

test('tier, 4K and 60 fps each change the MediaConvert line; a short clip bills the minimum', () => {
  const base = { outputDurationSec: 60, width: 1080, height: 1920, fps: 30, sourceBytes: 0, outputBytesEstimate: 0 };
  const mc = (over: object) => estimateExportCost({ ...base, ...over }).items[0].usd;
  assert.equal(mc({}), 0.015);
  assert.equal(mc({ tier: 'professional' }), 0.024);
  assert.equal(mc({ fps: 60 }), 0.03);
  assert.equal(mc({ width: 2160, height: 3840 }), 0.03);
  assert.equal(mc({ outputDurationSec: 4 }), 0.0025); // 10 s minimum: 10/60 min x $0.015
  assert.equal(estimateExportCost({ ...base, sourceBytes: GiB, storageMonths: 0 }).items[1].usd, 0);
});

test('the rate table is the single source: an edited table changes the estimate', () => {
  const rates: CostRates = structuredClone(COST_RATES);
  rates.mediaconvertPerMinute.basic.HD.upTo30 = 1;
  rates.s3TransferOutPerGb = 0;
  const e = estimateExportCost({
    outputDurationSec: 120, width: 1920, height: 1080, fps: 25, sourceBytes: 0, outputBytesEstimate: GiB,
  }, rates);
  assert.equal(e.items[0].usd, 2);
  assert.equal(e.items[2].usd, 0);
});

test('input errors name the field', () => {
  const ok = { outputDurationSec: 10, width: 1080, height: 1920, fps: 30, sourceBytes: 0, outputBytesEstimate: 0 };
  assert.throws(() => estimateExportCost({ ...ok, sourceBytes: -5 }), /sourceBytes: must be a non-negative number/);
  assert.throws(() => estimateExportCost({ ...ok, tier: 'gold' as never }), /tier: must be basic or professional/);
  assert.throws(() => estimateExportCost({ ...ok, fps: 0 }), /fps: must be a positive number/);
});

test('formatUsd keeps small amounts visible', () => {
  assert.equal(formatUsd(0.0075), '$0.0075');
  assert.equal(formatUsd(1.234), '$1.23');
  assert.equal(formatUsd(0), '$0.00');
});
