/**
 * Plays the video track through two <video> elements without a gap at cuts: one plays the
 * current segment while the other already holds the next segment, loaded and seeked to its
 * first frame; at the cut they swap (show + play the standby, pause the old one, then load the
 * segment after into it).
 *
 * Time flows from the playing element (its currentTime), so picture and playhead agree.
 * Segments whose media cannot play yet (proxy being made, missing file) advance on a wall
 * clock over a black frame.
 *
 * After a seek, an undo or a load, an element shows its OLD frame until the new one is decoded
 * (possibly another clip's). So an element is shown only once it holds the frame asked for;
 * until then the view says `loading` and the preview shows a loading state, never a wrong frame.
 */
import type { DraftSegment } from '../../../shared/draft';
import { segmentIndexAt, timelineIndex } from '../model/timeline-index';

export interface PlayerCallbacks {
  /** Playhead moved while playing (output seconds). */
  onTime(t: number): void;
  /** Playback stopped by itself (end of the timeline). */
  onEnded(): void;
  /** Which element is visible changed, or a segment has no playable media. */
  onView?(view: { active: 0 | 1; blank: boolean; loading: boolean; mediaId?: string }): void;
}

interface Slot {
  el: HTMLVideoElement;
  segIndex: number;
  segId: string | null;
  url: string | null;
  sourceTime: number;
  /** The element does not show `sourceTime` yet (loading or seeking). */
  pending: boolean;
}

export class TimelinePlayer {
  private slots: [Slot, Slot];
  private active: 0 | 1 = 0;
  private segments: readonly DraftSegment[] = [];
  private urlFor: (mediaId: string) => string | null = () => null;
  private fps = 30;
  private playing = false;
  private rate = 1;
  private raf = 0;
  private t = 0;
  private lastWall = 0;
  private blank = false;

  constructor(
    a: HTMLVideoElement,
    b: HTMLVideoElement,
    private callbacks: PlayerCallbacks,
  ) {
    const slot = (el: HTMLVideoElement): Slot => ({ el, segIndex: -1, segId: null, url: null, sourceTime: 0, pending: false });
    this.slots = [slot(a), slot(b)];
    for (const s of this.slots) {
      s.el.preload = 'auto';
      s.el.playsInline = true;
      s.el.muted = true;
      const settle = () => this.frameArrived(s);
      s.el.addEventListener('seeked', settle);
      s.el.addEventListener('loadeddata', settle);
      s.el.addEventListener('error', () => {
        s.pending = false;
        this.updateView();
      });
    }
  }

  get time(): number {
    return this.t;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  /** New segments or media URLs: keep the time, reload what changed. */
  setTimeline(segments: readonly DraftSegment[], urlFor: (mediaId: string) => string | null, fps: number): void {
    this.segments = segments;
    this.urlFor = urlFor;
    this.fps = fps;
    const duration = timelineIndex(segments).duration;
    if (this.t > duration) this.t = duration;
    if (!this.playing) this.showAt(this.t);
    else this.resyncWhilePlaying();
  }

  /** Show the frame at output time `t` (and keep playing if playing). */
  seek(t: number): void {
    const duration = timelineIndex(this.segments).duration;
    this.t = Math.max(0, Math.min(t, duration));
    if (this.playing) {
      this.pauseElements();
      this.showAt(this.t);
      this.startActive();
    } else this.showAt(this.t);
  }

  play(rate = 1): void {
    const duration = timelineIndex(this.segments).duration;
    if (this.segments.length === 0) return;
    if (rate > 0 && this.t >= duration - 1 / this.fps) this.t = 0;
    this.rate = rate;
    this.playing = true;
    this.showAt(this.t);
    this.startActive();
    this.lastWall = performance.now();
    cancelAnimationFrame(this.raf);
    this.raf = requestAnimationFrame(this.tick);
  }

  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.pauseElements();
    // Freeze exactly where the picture is.
    this.showAt(this.t);
  }

  destroy(): void {
    this.playing = false;
    cancelAnimationFrame(this.raf);
    for (const s of this.slots) {
      s.el.pause();
      s.el.removeAttribute('src');
      s.el.load();
    }
  }

  /* ------------------------------------------------------------ internals */

  private tick = (): void => {
    if (!this.playing) return;
    const now = performance.now();
    const wallDelta = (now - this.lastWall) / 1000;
    this.lastWall = now;
    const index = timelineIndex(this.segments);
    const slot = this.slots[this.active];
    const i = slot.segIndex;
    const segment = this.segments[i];
    if (!segment) {
      this.stopAtEnd(index.duration);
      return;
    }
    if (this.rate < 0) {
      // Reverse shuttle: step backwards by seeking (video elements cannot play backwards).
      this.t = Math.max(0, this.t + wallDelta * this.rate);
      this.showAt(this.t);
      this.callbacks.onTime(this.t);
      if (this.t <= 0) {
        this.pause();
        this.callbacks.onEnded();
        return;
      }
      this.raf = requestAnimationFrame(this.tick);
      return;
    }
    const segStart = index.starts[i];
    let t: number;
    if (this.blank || !slot.url) {
      t = this.t + wallDelta * this.rate;
    } else {
      t = segStart + (slot.el.currentTime - segment.start_time);
      // The element may not have started yet right after a swap or seek.
      if (t < this.t - 0.25 || Number.isNaN(t)) t = this.t;
    }
    const halfFrame = 0.5 / this.fps;
    const segEnd = index.starts[i + 1];
    if (t >= segEnd - halfFrame || (slot.url && slot.el.ended)) {
      if (i + 1 >= this.segments.length) {
        this.stopAtEnd(index.duration);
        return;
      }
      this.t = segEnd;
      this.cutTo(i + 1);
    } else {
      this.t = Math.max(this.t, t);
    }
    this.callbacks.onTime(this.t);
    this.raf = requestAnimationFrame(this.tick);
  };

  private stopAtEnd(duration: number): void {
    this.t = duration;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.pauseElements();
    this.callbacks.onTime(this.t);
    this.callbacks.onEnded();
  }

  /** Swap to segment i at its first frame, preferring the preloaded standby. */
  private cutTo(i: number): void {
    const standbyIndex = (1 - this.active) as 0 | 1;
    const standby = this.slots[standbyIndex];
    const old = this.slots[this.active];
    const segment = this.segments[i];
    if (standby.segIndex !== i || standby.segId !== segment.id) this.load(standby, i, segment.start_time);
    this.active = standbyIndex;
    old.el.pause();
    old.el.muted = true;
    this.updateView();
    this.startActive();
    // Preload the segment after next into the element we just left.
    if (i + 1 < this.segments.length) this.load(old, i + 1, this.segments[i + 1].start_time);
  }

  private startActive(): void {
    const slot = this.slots[this.active];
    if (!slot.url) return;
    slot.el.muted = false;
    slot.el.playbackRate = Math.max(0.25, Math.min(4, Math.abs(this.rate)));
    slot.el.play().catch(() => {
      // Autoplay with sound refused: retry muted so the picture still plays.
      slot.el.muted = true;
      slot.el.play().catch(() => undefined);
    });
  }

  private pauseElements(): void {
    for (const s of this.slots) s.el.pause();
  }

  /** Put the frame at time t in the active element; preload the next segment in the other. */
  private showAt(t: number): void {
    const index = timelineIndex(this.segments);
    const i = segmentIndexAt(index, t);
    if (i < 0) {
      this.blank = true;
      this.updateView();
      return;
    }
    const segment = this.segments[i];
    const source = Math.min(segment.start_time + (t - index.starts[i]), Math.max(segment.start_time, segment.end_time - 0.5 / this.fps));
    // Reuse whichever element already holds this segment's media, to avoid a reload.
    const url = this.urlFor(segment.media_id);
    const active = this.slots[this.active];
    const other = this.slots[1 - this.active];
    if (active.url !== url && other.url === url && url !== null) this.active = (1 - this.active) as 0 | 1;
    this.load(this.slots[this.active], i, source);
    if (i + 1 < this.segments.length) this.load(this.slots[1 - this.active], i + 1, this.segments[i + 1].start_time);
    this.updateView();
  }

  private resyncWhilePlaying(): void {
    const slot = this.slots[this.active];
    const segment = this.segments[slot.segIndex];
    if (!segment || segment.id !== slot.segId || this.urlFor(segment.media_id) !== slot.url) {
      this.pauseElements();
      this.showAt(this.t);
      this.startActive();
      return;
    }
    const next = slot.segIndex + 1;
    if (next < this.segments.length) this.load(this.slots[1 - this.active], next, this.segments[next].start_time);
  }

  /** A seek or load finished: show the element if it holds the frame it was asked for. */
  private frameArrived(slot: Slot): void {
    if (!slot.pending || slot.el.seeking || slot.el.readyState < 2) return;
    if (Math.abs(slot.el.currentTime - slot.sourceTime) > 0.5 / this.fps + 1e-3) return;
    slot.pending = false;
    this.updateView();
  }

  private load(slot: Slot, i: number, sourceTime: number): void {
    const segment = this.segments[i];
    const url = this.urlFor(segment.media_id);
    slot.segIndex = i;
    slot.segId = segment.id;
    slot.sourceTime = sourceTime;
    if (slot.url !== url) {
      slot.url = url;
      slot.pending = !!url;
      if (url) {
        slot.el.src = url;
        slot.el.load();
      } else {
        slot.el.removeAttribute('src');
        slot.el.load();
      }
    }
    if (!url) return;
    if (Math.abs(slot.el.currentTime - sourceTime) > 1e-3) {
      slot.pending = true;
      try {
        slot.el.currentTime = sourceTime;
      } catch {
        /* not loaded yet: set below once metadata arrives */
      }
      if (slot.el.readyState < 1) {
        const target = sourceTime;
        slot.el.addEventListener(
          'loadedmetadata',
          () => {
            if (slot.sourceTime === target) slot.el.currentTime = target;
          },
          { once: true },
        );
      }
    }
  }

  private updateView(): void {
    const slot = this.slots[this.active];
    this.blank = !slot.url;
    // While playing, the element runs ahead of any one frame: only a paused seek waits for its frame.
    const loading = !!slot.url && slot.pending && !this.playing;
    for (let k = 0; k < 2; k++) {
      const s = this.slots[k];
      s.el.style.opacity = k === this.active && s.url && !loading ? '1' : '0';
      if (k !== this.active) s.el.muted = true;
    }
    this.callbacks.onView?.({ active: this.active, blank: this.blank, loading, mediaId: this.segments[slot.segIndex]?.media_id });
  }
}
