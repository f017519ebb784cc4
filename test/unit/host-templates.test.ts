import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newDraft, parseDraft, type MediaRef } from '../../shared/draft';
import { compileDraft } from '../../shared/compile-draft';
import { parseGenerationRequest } from '../../shared/request';
import { BUILT_IN_TEMPLATES } from '../../electron/services/templates/builtins';
import { TemplateDefinition } from '../../electron/services/templates/model';
import { createTemplateStore, type TemplateStore } from '../../electron/services/templates/store';

const media = (id: string, duration: number): MediaRef => ({
  id,
  path: `/clips/${id}.mp4`,
  name: `${id}.mp4`,
  size_bytes: 1000,
  mtime_ms: 1,
  facts: { duration, width: 1080, height: 1920, rotation: 0, fps: 30, has_audio: true, video_codec: 'h264', size_bytes: 1000 },
});

describe('templates', () => {
  let dir: string;
  let store: TemplateStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hospup-templates-'));
    store = createTemplateStore(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('has at least three valid 9:16 built-ins with text inside the safe band', async () => {
    const list = await store.list();
    assert.ok(list.filter((t) => t.builtIn).length >= 3);
    const tour = list.find((t) => t.id === 'hotel-tour')!;
    assert.deepEqual(tour.slots.map((s) => s.duration), [3, 2, 2, 2, 3]);
    assert.deepEqual(list.find((t) => t.id === 'room-reveal')!.slots.length, 4);
    assert.deepEqual(list.find((t) => t.id === 'breakfast-pool')!.slots.map((s) => s.duration), [1.5, 1.5, 1.5, 1.5, 1.5, 1.5]);
    for (const t of BUILT_IN_TEMPLATES) {
      TemplateDefinition.parse(t);
      assert.equal(t.aspect, '9:16');
      for (const o of t.overlays) assert.ok(o.position.y >= 15 && o.position.y <= 75, `${t.id}: ${o.content} at y ${o.position.y}`);
    }
  });

  it('fills every built-in from clips into a project the exporter accepts', async () => {
    const clips = [media('a', 10), media('b', 10), media('c', 10)];
    for (const t of BUILT_IN_TEMPLATES) {
      const base = { ...newDraft({ id: 'p1', name: 'Hôtel du Lac', now: '2026-01-01T00:00:00Z' }), media: clips };
      const filled = await store.apply(t.id, base, ['a', 'b', 'c']);
      assert.equal(filled.template_id, t.id);
      assert.equal(filled.segments.length, t.slots.length);
      assert.ok(parseDraft(filled).ok, t.id);
      const request = parseGenerationRequest(compileDraft(filled).request);
      assert.ok(request.ok, `${t.id}: ${JSON.stringify(!request.ok && request.errors)}`);
      assert.ok(filled.overlays.some((o) => o.content.includes('Hôtel du Lac')), `${t.id} names the hotel`);
      assert.ok(!filled.overlays.some((o) => o.content.includes('{project}')));
    }
  });

  it('cycles clips in order and takes each from its start, shorter when the clip is shorter', async () => {
    const base = newDraft({ id: 'p2', name: 'Tour', now: '2026-01-01T00:00:00Z' });
    const filled = await store.apply('hotel-tour', base, ['a', 'b'], (id) => ({ a: media('a', 10), b: media('b', 1.2) })[id]);
    assert.deepEqual(
      filled.segments.map((s) => [s.media_id, s.start_time, s.end_time]),
      [['a', 0, 3], ['b', 0, 1.2], ['a', 0, 2], ['b', 0, 1.2], ['a', 0, 3]],
    );
    // Media found outside the project were added to it.
    assert.deepEqual(filled.media.map((m) => m.id).sort(), ['a', 'b']);
    // The closing call to action sits in the last slot, which now starts at 3+1.2+2+1.2 = 7.4 s.
    const cta = filled.overlays.at(-1)!;
    assert.equal(cta.content, 'Book your stay');
    assert.ok(Math.abs(cta.start_time - 7.7) < 1e-9 && Math.abs(cta.end_time - 10.4) < 1e-9, `${cta.start_time}-${cta.end_time}`);
  });

  it('switches the project to the template aspect, keeping its frame rate', async () => {
    const base = newDraft({ id: 'p3', name: 'Wide', now: '2026-01-01T00:00:00Z', aspect: '16:9' });
    base.settings.fps = 25;
    const filled = await store.apply('room-reveal', base, ['a'], () => media('a', 10));
    assert.deepEqual(filled.settings, { aspect: '9:16', width: 1080, height: 1920, fps: 25 });
  });

  it('refuses no clips, unknown clips and unknown templates, naming what is wrong', async () => {
    const base = newDraft({ id: 'p4', name: 'x', now: '2026-01-01T00:00:00Z' });
    await assert.rejects(store.apply('hotel-tour', base, []), /at least one clip/);
    await assert.rejects(store.apply('hotel-tour', base, ['zz']), /mediaIds\[0\]: unknown media "zz"/);
    await assert.rejects(store.apply('nope', base, ['a'], () => media('a', 3)), /No template with id "nope"/);
  });

  it('saves a project as a user template and applies it again', async () => {
    const base = newDraft({ id: 'p5', name: 'Spa Resort', now: '2026-01-01T00:00:00Z' });
    const project = {
      ...base,
      media: [media('a', 10)],
      segments: [
        { id: 's1', media_id: 'a', start_time: 1, end_time: 3.5 },
        { id: 's2', media_id: 'a', start_time: 4, end_time: 5 },
      ],
      overlays: [
        { id: 'o1', content: 'Spa Resort', start_time: 0.5, end_time: 2, position: { x: 50, y: 30 }, style: { color: '#FFFFFF', font_size: 70 } },
        { id: 'o2', content: 'Relax', start_time: 2.7, end_time: 3.5, position: { x: 50, y: 60 }, style: { color: '#FFFFFF', font_size: 50 } },
      ],
    };
    const summary = await store.saveFromProject(project, 'My spa reel');
    assert.equal(summary.builtIn, false);
    assert.deepEqual(summary.slots, [{ duration: 2.5 }, { duration: 1 }]);
    const listed = await createTemplateStore(dir).list();
    assert.ok(listed.some((t) => t.id === summary.id && !t.builtIn && t.name === 'My spa reel'));

    const other = { ...newDraft({ id: 'p6', name: 'Beach Hotel', now: '2026-01-01T00:00:00Z' }), media: [media('b', 10)] };
    const filled = await store.apply(summary.id, other, ['b']);
    assert.deepEqual(filled.segments.map((s) => [s.start_time, s.end_time]), [[0, 2.5], [0, 1]]);
    assert.deepEqual(filled.overlays.map((o) => [o.content, o.start_time, o.end_time]), [['Beach Hotel', 0.5, 2], ['Relax', 2.7, 3.5]]);
    await assert.rejects(store.saveFromProject({ ...project, segments: [] }, 'Empty'), /Add clips/);
  });
});
