/**
 * Where hotel videos go, and how long each place takes them. Limits as published by the
 * platforms (checked December 2026): Instagram Reels up to 3 minutes since January 2025,
 * Stories 60 s per story (longer videos are cut into several), TikTok 10 minutes recorded in
 * the app (60 minutes uploaded), YouTube Shorts up to 3 minutes since October 2024. The
 * "best" range is the usual advice for short reels that people watch to the end.
 */
export const TARGETS = [
  { id: 'reels', name: 'Instagram Reels', maxSec: 180, bestSec: [15, 90] },
  { id: 'stories', name: 'Instagram Stories', maxSec: 60, bestSec: [5, 15] },
  { id: 'tiktok', name: 'TikTok', maxSec: 600, bestSec: [15, 60] },
  { id: 'shorts', name: 'YouTube Shorts', maxSec: 180, bestSec: [15, 60] },
] as const;
export type TargetId = (typeof TARGETS)[number]['id'];

export type LengthFit = 'too-short' | 'good' | 'long' | 'too-long';

/** How a video of `seconds` fits a target: past its maximum, longer than advised, within, or too short. */
export function lengthFit(seconds: number, target: (typeof TARGETS)[number]): LengthFit {
  if (seconds > target.maxSec) return 'too-long';
  if (seconds > target.bestSec[1]) return 'long';
  if (seconds < target.bestSec[0]) return 'too-short';
  return 'good';
}
