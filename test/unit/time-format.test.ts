// Time as people read it (one notation everywhere) and length guidance per platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime } from '../../shared/time';
import { TARGETS, lengthFit } from '../../shared/targets';

test('times read as minutes:seconds.frames, never as HH:MM:SS', () => {
  assert.equal(formatTime(30 + 16 / 30, 30), '0:30.16');
  assert.equal(formatTime(0, 25), '0:00.00');
  assert.equal(formatTime(65.5, 30), '1:05.15');
  assert.equal(formatTime(3725, 30), '1:02:05.00');
  assert.equal(formatTime(29.99, 30, { frames: false }), '0:30', 'rounded to the nearest frame first');
  assert.equal(formatTime(-3, 30), '0:00.00');
  assert.equal(formatTime(1 + 29 / 29.97, 29.97), '0:01.29');
});

test('a 5:30 video is too long for a reel, fine for TikTok; a 45 s one is good for reels', () => {
  const by = (id: string) => TARGETS.find((t) => t.id === id)!;
  assert.equal(lengthFit(330, by('reels')), 'too-long');
  assert.equal(lengthFit(330, by('shorts')), 'too-long');
  assert.equal(lengthFit(330, by('tiktok')), 'long');
  assert.equal(lengthFit(45, by('reels')), 'good');
  assert.equal(lengthFit(45, by('stories')), 'long');
  assert.equal(lengthFit(75, by('stories')), 'too-long');
  assert.equal(lengthFit(3, by('tiktok')), 'too-short');
});
