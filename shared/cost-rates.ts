/**
 * The one editable table of AWS list prices used by the export cost estimate.
 *
 * Region: us-east-1 (N. Virginia), USD, on-demand, first volume tier (no free
 * tier, no volume discounts, no reserved queues), as gathered on 2026-11-25
 * from the sources below and public write-ups quoting them. Prices change and
 * other regions (eu-west-1 included) may differ: check the pages, edit the
 * numbers here and bump `retrieved`. The Professional row was not re-confirmed
 * on that date; verify it before relying on it.
 *
 * MediaConvert (https://aws.amazon.com/mediaconvert/pricing/): billed per
 * output minute, each output's duration counted in 1-second increments with a
 * 10-second minimum. Since September 2024 the page expresses rates as
 * "normalized minutes" with volume discounts past monthly thresholds; below the
 * first threshold the per-minute rates are the ones listed here. Basic tier:
 * AVC single pass with clipping, stitching and static image overlays (our job
 * shape, docs/job-shape.md). Professional tier: the full feature set. Rates
 * double for frame rates above 30 fps (up to 60).
 *
 * S3 (https://aws.amazon.com/s3/pricing/): S3 Standard storage, first 50 TB
 * per month; data transfer out to the internet, first 10 TB per month (AWS
 * waives the first 100 GB per month per account, ignored here so the estimate
 * never undercounts). Transfer in and S3 -> MediaConvert in-region are free.
 */
export interface CostRates {
  region: string;
  currency: 'USD';
  /** ISO date the numbers were read. */
  retrieved: string;
  sources: string[];
  /** USD per billed output minute, by tier, resolution class and frame-rate class. */
  mediaconvertPerMinute: Record<MediaConvertTier, Record<ResolutionClass, Record<FrameRateClass, number>>>;
  /** Seconds billed at least, per output. */
  mediaconvertMinimumSeconds: number;
  s3StandardPerGbMonth: number;
  s3TransferOutPerGb: number;
}

export type MediaConvertTier = 'basic' | 'professional';
/** SD: fewer pixels than 1280x720; HD: up to 1920x1080 pixels; UHD: beyond, up to 4096x2160. */
export type ResolutionClass = 'SD' | 'HD' | 'UHD';
/** Frame rate up to 30 fps, or above 30 and up to 60 fps. */
export type FrameRateClass = 'upTo30' | 'upTo60';

export const COST_RATES: CostRates = {
  region: 'us-east-1',
  currency: 'USD',
  retrieved: '2026-11-25',
  sources: ['https://aws.amazon.com/mediaconvert/pricing/', 'https://aws.amazon.com/s3/pricing/'],
  mediaconvertPerMinute: {
    basic: {
      SD: { upTo30: 0.0075, upTo60: 0.015 },
      HD: { upTo30: 0.015, upTo60: 0.03 },
      UHD: { upTo30: 0.03, upTo60: 0.06 },
    },
    professional: {
      SD: { upTo30: 0.012, upTo60: 0.024 },
      HD: { upTo30: 0.024, upTo60: 0.048 },
      UHD: { upTo30: 0.048, upTo60: 0.096 },
    },
  },
  mediaconvertMinimumSeconds: 10,
  s3StandardPerGbMonth: 0.023,
  s3TransferOutPerGb: 0.09,
};
