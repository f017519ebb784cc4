/**
 * Export cost estimate: pure arithmetic over the rate table in cost-rates.ts.
 * Shown before an AWS export; after it, `billedMinutes` of the real output
 * duration tells what MediaConvert charged for.
 */
import {
  COST_RATES,
  type CostRates,
  type FrameRateClass,
  type MediaConvertTier,
  type ResolutionClass,
} from './cost-rates';

export type { CostRates, FrameRateClass, MediaConvertTier, ResolutionClass } from './cost-rates';
export { COST_RATES } from './cost-rates';

const GIB = 1024 ** 3; // AWS bills storage and transfer per GiB ("GB" on the price pages)

export interface ExportCostInput {
  /** Duration of the rendered output, seconds. */
  outputDurationSec: number;
  width: number;
  height: number;
  fps: number;
  /** Bytes of source clips stored in the bucket for this export (0 when all were already there). */
  sourceBytes: number;
  /** Expected size of the rendered MP4, bytes (downloaded once). */
  outputBytesEstimate: number;
  tier?: MediaConvertTier;
  /** Months the sources and render stay stored; default 1 (set 0 if a lifecycle rule deletes them at once). */
  storageMonths?: number;
}

export interface CostLineItem {
  id: 'mediaconvert' | 's3-storage' | 's3-transfer-out';
  label: string;
  quantity: number;
  unit: 'minute' | 'GB-month' | 'GB';
  unitPriceUsd: number;
  usd: number;
}

export interface CostEstimate {
  items: CostLineItem[];
  totalUsd: number;
  billedMinutes: number;
  tier: MediaConvertTier;
  resolutionClass: ResolutionClass;
  frameRateClass: FrameRateClass;
  /** Where the numbers come from, for display next to the estimate. */
  rates: Pick<CostRates, 'region' | 'retrieved' | 'sources' | 'currency'>;
}

function requireNumber(name: string, value: number, opts: { positive?: boolean } = {}): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (opts.positive && value === 0)) {
    throw new RangeError(`${name}: must be a ${opts.positive ? 'positive' : 'non-negative'} number (got ${String(value)})`);
  }
}

/** Seconds MediaConvert bills for one output: whole seconds, rounded up, at least the minimum. */
export function billedSeconds(durationSec: number, rates: CostRates = COST_RATES): number {
  requireNumber('outputDurationSec', durationSec);
  // Guard against float noise (10.000000001 s must not bill 11 s).
  const whole = Math.ceil(Math.round(durationSec * 1000) / 1000);
  return Math.max(rates.mediaconvertMinimumSeconds, whole);
}

/** Billed minutes for one output (fractional: 45 s -> 0.75). */
export function billedMinutes(durationSec: number, rates: CostRates = COST_RATES): number {
  return billedSeconds(durationSec, rates) / 60;
}

/** Resolution class by pixel count, so a 1080x1920 portrait reel is HD like 1920x1080. */
export function resolutionClass(width: number, height: number): ResolutionClass {
  requireNumber('width', width, { positive: true });
  requireNumber('height', height, { positive: true });
  const pixels = width * height;
  if (pixels < 1280 * 720) return 'SD';
  if (pixels <= 1920 * 1080) return 'HD';
  if (pixels <= 4096 * 2160) return 'UHD';
  throw new RangeError(`width x height: ${width}x${height} is larger than the 4096x2160 the rate table covers`);
}

export function frameRateClass(fps: number): FrameRateClass {
  requireNumber('fps', fps, { positive: true });
  if (fps <= 30) return 'upTo30';
  if (fps <= 60) return 'upTo60';
  throw new RangeError(`fps: ${fps} is above the 60 fps the rate table covers`);
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

export function estimateExportCost(input: ExportCostInput, rates: CostRates = COST_RATES): CostEstimate {
  const tier = input.tier ?? 'basic';
  if (!(tier in rates.mediaconvertPerMinute)) throw new RangeError(`tier: must be basic or professional (got ${tier})`);
  requireNumber('sourceBytes', input.sourceBytes);
  requireNumber('outputBytesEstimate', input.outputBytesEstimate);
  const months = input.storageMonths ?? 1;
  requireNumber('storageMonths', months);

  const resClass = resolutionClass(input.width, input.height);
  const fpsClass = frameRateClass(input.fps);
  const minutes = billedMinutes(input.outputDurationSec, rates);
  const perMinute = rates.mediaconvertPerMinute[tier][resClass][fpsClass];
  const storedGbMonths = ((input.sourceBytes + input.outputBytesEstimate) / GIB) * months;
  const outGb = input.outputBytesEstimate / GIB;

  const items: CostLineItem[] = [
    {
      id: 'mediaconvert',
      label: `MediaConvert ${tier === 'basic' ? 'Basic' : 'Professional'} tier, ${resClass}, ${fpsClass === 'upTo30' ? '≤30' : '31-60'} fps`,
      quantity: minutes,
      unit: 'minute',
      unitPriceUsd: perMinute,
      usd: round6(minutes * perMinute),
    },
    {
      id: 's3-storage',
      label: 'S3 Standard storage (sources + render)',
      quantity: storedGbMonths,
      unit: 'GB-month',
      unitPriceUsd: rates.s3StandardPerGbMonth,
      usd: round6(storedGbMonths * rates.s3StandardPerGbMonth),
    },
    {
      id: 's3-transfer-out',
      label: 'S3 transfer out (downloading the render)',
      quantity: outGb,
      unit: 'GB',
      unitPriceUsd: rates.s3TransferOutPerGb,
      usd: round6(outGb * rates.s3TransferOutPerGb),
    },
  ];
  return {
    items,
    totalUsd: round6(items.reduce((sum, i) => sum + i.usd, 0)),
    billedMinutes: minutes,
    tier,
    resolutionClass: resClass,
    frameRateClass: fpsClass,
    rates: { region: rates.region, retrieved: rates.retrieved, sources: rates.sources, currency: rates.currency },
  };
}

/** "$0.0123" style: enough digits that a cent-sized estimate is not shown as $0.00. */
export function formatUsd(usd: number): string {
  if (usd !== 0 && Math.abs(usd) < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}
