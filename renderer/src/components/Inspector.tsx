import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { FONT_FAMILIES } from '../../../shared/fonts/catalog';
import { ASPECTS } from '../../../shared/output-settings';
import type { DraftOverlay, DraftSegment } from '../../../shared/draft';
import { formatTime, snapToFrame } from '../../../shared/time';
import { useEditor } from '../store/editor-store';
import { timelineIndex } from '../model/timeline-index';
import { TARGETS, lengthFit, type LengthFit } from '../../../shared/targets';
import { MAX_CAPTION_LENGTH } from '../../../shared/limits';
import { MAX_VOLUME_DB, MIN_VOLUME_DB } from '../../../shared/request';
import { PHOTO_MAX_SECONDS } from '../../../shared/photo';
import { keepLogoSafe } from '../../../shared/safe-zones';
import { useApp } from '../store/app-store';
import { applyBrandLogo } from '../app/session';
import { isVariantDraft, overlayPlacement, overlayText, segmentFocus } from '../../../shared/draft-variants';
import { useShownVariant } from './variants/use-shown-variant';
import { FormatsLanguages } from './variants/FormatsLanguages';
import { languageName } from './variants/languages';

/** Right-hand panel: properties of the selected overlay or segment, else of the project. */
export function Inspector() {
  const { t } = useTranslation();
  const selection = useEditor((s) => s.selection);
  const overlay = useEditor((s) => {
    const sel = s.selection;
    return sel.kind === 'overlays' && sel.ids.length === 1 ? s.overlays.find((o) => o.id === sel.ids[0]) : undefined;
  });
  const segment = useEditor((s) => {
    const sel = s.selection;
    return sel.kind === 'segments' && sel.ids.length === 1 ? s.segments.find((x) => x.id === sel.ids[0]) : undefined;
  });
  const count = selection.kind === 'none' || selection.kind === 'logo' ? 0 : selection.ids.length;
  const logoSelected = selection.kind === 'logo';

  return (
    <aside className="panel inspector" aria-label={t('Inspector')}>
      {logoSelected ? (
        <LogoInspector />
      ) : overlay ? (
        <OverlayInspector key={overlay.id} overlay={overlay} />
      ) : segment ? (
        <SegmentInspector key={segment.id} segment={segment} />
      ) : count > 1 ? (
        <div className="inspector-section">
          <h2>{t('{{count}} items selected', { count })}</h2>
          <p className="muted">{t('Press Delete to remove them, or drag to move them.')}</p>
        </div>
      ) : (
        <ProjectInspector />
      )}
    </aside>
  );
}

function OverlayInspector({ overlay }: { overlay: DraftOverlay }) {
  const { t, i18n } = useTranslation();
  const update = useEditor((s) => s.updateOverlay);
  const id = overlay.id;
  // The text box shows the language the preview shows; size and position are the shown format's.
  const shown = useShownVariant();
  const text = overlayText(overlay, shown.language, shown.firstLanguage);
  const placed = overlayPlacement(overlay, shown.format);
  const place = (patch: { position?: { x: number; y: number }; font_size?: number }) => useEditor.getState().placeOverlay(id, shown.format, patch);
  const style = { ...overlay.style, font_size: placed.font_size };
  const translating = shown.language !== undefined && shown.language !== shown.firstLanguage;
  const typing = useRef(false);
  // A typing session must end even if the panel goes away while the box has focus.
  useEffect(
    () => () => {
      if (typing.current) useEditor.getState().endGesture();
    },
    [],
  );
  return (
    <div className="inspector-section">
      <h2>{t('Text')}</h2>
      <label className="field">
        <span>
          {t('Overlay text')}
          {shown.language && ` · ${languageName(shown.language, i18n.language)}`}
        </span>
        <textarea
          id="overlay-text-input"
          aria-label={t('Overlay text')}
          rows={3}
          maxLength={MAX_CAPTION_LENGTH}
          value={text}
          placeholder={translating ? overlay.content : undefined}
          onChange={(e) => useEditor.getState().setOverlayText(id, shown.language, e.target.value)}
          // One typing session (focus to blur) is one undo step.
          onFocus={() => {
            typing.current = true;
            useEditor.getState().beginGesture();
          }}
          onBlur={() => {
            typing.current = false;
            useEditor.getState().endGesture();
          }}
        />
      </label>
      {translating && !text.trim() && overlay.content.trim() && (
        <p className="hint field-error" role="status" data-testid="translation-missing">
          {t('Not translated into {{language}} yet: this video cannot be exported until it is.', { language: languageName(shown.language!, i18n.language) })}
        </p>
      )}
      {overlay.content.length > MAX_CAPTION_LENGTH * 0.9 && (
        <p className={overlay.content.length > MAX_CAPTION_LENGTH ? 'hint field-error' : 'hint'} role="status" data-testid="caption-length">
          {overlay.content.length > MAX_CAPTION_LENGTH
            ? t('This text is too long: it has {{length}} characters, a text can have at most {{max}}. Shorten it to put it in the video.', { length: overlay.content.length, max: MAX_CAPTION_LENGTH })
            : t('{{length}} of {{max}} characters', { length: overlay.content.length, max: MAX_CAPTION_LENGTH })}
        </p>
      )}
      <div className="field-row">
        <label className="field">
          <span>{t('Font')}</span>
          <select value={style.font_family ?? 'Inter'} onChange={(e) => update(id, { style: { font_family: e.target.value as (typeof FONT_FAMILIES)[number] } })}>
            {FONT_FAMILIES.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('Weight')}</span>
          <select value={style.font_weight ?? 'bold'} onChange={(e) => update(id, { style: { font_weight: e.target.value as 'regular' | 'bold' } })}>
            <option value="regular">{t('Regular')}</option>
            <option value="bold">{t('Bold')}</option>
          </select>
        </label>
      </div>
      <div className="field-row">
        <label className="field">
          <span>{t('Size')}</span>
          <NumberInput value={style.font_size} min={8} max={600} step={2} onCommit={(v) => place({ font_size: v })} label={t('Size')} />
        </label>
        <label className="field">
          <span>{t('Colour')}</span>
          <input type="color" aria-label={t('Colour')} value={style.color.slice(0, 7).toLowerCase()} onChange={(e) => update(id, { style: { color: e.target.value.toUpperCase() } })} />
          <BrandSwatches onPick={(colour) => update(id, { style: { color: colour } })} />
        </label>
      </div>
      <div className="field-row">
        <label className="field checkbox">
          <input
            type="checkbox"
            checked={!!style.background}
            onChange={(e) => update(id, { style: { background: e.target.checked ? '#000000B3' : null } })}
          />
          <span>{t('Background box')}</span>
        </label>
        {style.background && (
          <label className="field">
            <span>{t('Box colour')}</span>
            <input
              type="color"
              aria-label={t('Box colour')}
              value={style.background.slice(0, 7).toLowerCase()}
              onChange={(e) => update(id, { style: { background: e.target.value.toUpperCase() + (style.background?.slice(7) ?? '') } })}
            />
          </label>
        )}
      </div>
      <div className="field">
        <span>{t('Alignment')}</span>
        <div className="segmented" role="group" aria-label={t('Alignment')}>
          {(['left', 'center', 'right'] as const).map((a) => (
            <button key={a} type="button" className={(style.align ?? 'center') === a ? 'on' : ''} aria-pressed={(style.align ?? 'center') === a} onClick={() => update(id, { style: { align: a } })}>
              {a === 'left' ? t('Left') : a === 'center' ? t('Centre') : t('Right')}
            </button>
          ))}
        </div>
      </div>
      <div className="field-row">
        <label className="field">
          <span>{t('Horizontal position (%)')}</span>
          <NumberInput value={placed.position.x} min={0} max={100} step={1} onCommit={(v) => place({ position: { ...placed.position, x: v } })} label={t('Horizontal position (%)')} />
        </label>
        <label className="field">
          <span>{t('Vertical position (%)')}</span>
          <NumberInput value={placed.position.y} min={0} max={100} step={1} onCommit={(v) => place({ position: { ...placed.position, y: v } })} label={t('Vertical position (%)')} />
        </label>
      </div>
      <div className="field-row">
        <label className="field">
          <span>{t('Starts at (s)')}</span>
          <NumberInput value={overlay.start_time} min={0} step={0.1} onCommit={(v) => useEditor.getState().moveOverlay(id, v)} label={t('Starts at (s)')} />
        </label>
        <label className="field">
          <span>{t('Ends at (s)')}</span>
          <NumberInput value={overlay.end_time} min={0} step={0.1} onCommit={(v) => useEditor.getState().resizeOverlay(id, 'out', v)} label={t('Ends at (s)')} />
        </label>
      </div>
    </div>
  );
}

function SegmentInspector({ segment }: { segment: DraftSegment }) {
  const { t } = useTranslation();
  const media = useEditor((s) => s.mediaItems[segment.media_id] ?? s.media.find((m) => m.id === segment.media_id));
  const fps = useEditor((s) => s.settings.fps);
  const index = useEditor((s) => s.segments.indexOf(segment));
  const start = useEditor((s) => (index >= 0 ? timelineIndex(s.segments).starts[index] : 0));
  const total = useEditor((s) => s.segments.length);
  const setTimes = useEditor((s) => s.setSegmentTimes);
  const duration = media?.facts?.duration;
  if (media?.facts?.kind === 'photo') return <PhotoInspector segment={segment} name={media.name} index={index} total={total} start={start} />;
  return (
    <div className="inspector-section">
      <h2>{t('Clip')}</h2>
      <p className="inspector-name">{media?.name}</p>
      <dl className="facts">
        <dt>{t('Position')}</dt>
        <dd>
          {index + 1} / {total}
        </dd>
        <dt>{t('On the timeline')}</dt>
        <dd>
          {formatTime(start, fps)} → {formatTime(start + segment.end_time - segment.start_time, fps)}
        </dd>
        {duration !== undefined && (
          <>
            <dt>{t('Clip length')}</dt>
            <dd>{formatTime(duration, fps)}</dd>
          </>
        )}
      </dl>
      <div className="field-row">
        <label className="field">
          <span>{t('In (s)')}</span>
          <NumberInput
            value={segment.start_time}
            min={0}
            max={duration}
            step={1 / fps}
            onCommit={(v) => setTimes(segment.id, snapToFrame(v, fps), segment.end_time)}
            label={t('In (s)')}
          />
        </label>
        <label className="field">
          <span>{t('Out (s)')}</span>
          <NumberInput
            value={segment.end_time}
            min={0}
            max={duration}
            step={1 / fps}
            onCommit={(v) => setTimes(segment.id, segment.start_time, snapToFrame(v, fps))}
            label={t('Out (s)')}
          />
        </label>
      </div>
      <p className="hint">{t('Tip: press I or O to set the in or out point at the playhead.')}</p>
      <FramingControls segment={segment} />
      {media?.facts?.has_audio !== false ? <SoundControls segment={segment} /> : <p className="hint">{t('This clip has no sound')}</p>}
      <div className="field-row">
        <button type="button" className="btn small" disabled={index <= 0} onClick={() => useEditor.getState().moveSegment(index, index - 1)}>
          ← {t('Move earlier')}
        </button>
        <button type="button" className="btn small" disabled={index >= total - 1} onClick={() => useEditor.getState().moveSegment(index, index + 1)}>
          {t('Move later')} →
        </button>
      </div>
    </div>
  );
}

/** Where the crop of this clip centres in the shown format: the subject of a landscape clip in a 9:16 video. */
function FramingControls({ segment }: { segment: DraftSegment }) {
  const { t } = useTranslation();
  const shown = useShownVariant();
  const focus = segmentFocus(segment, shown.format);
  const set = (patch: Partial<{ x: number; y: number }>) => useEditor.getState().setSegmentFocus(segment.id, shown.format, { ...focus, ...patch });
  return (
    <fieldset className="field framing" aria-label={t('Framing in {{format}}', { format: shown.format })}>
      <legend>{t('Framing in {{format}}', { format: shown.format })}</legend>
      {(['x', 'y'] as const).map((axis) => {
        const label = axis === 'x' ? t('Focus across (%)') : t('Focus down (%)');
        return (
          <label key={axis} className="field">
            <span>{label}</span>
            <input type="range" min={0} max={100} step={1} value={focus[axis]} aria-label={label}
              onPointerDown={() => useEditor.getState().beginGesture()} onPointerUp={() => useEditor.getState().endGesture()}
              onChange={(e) => set({ [axis]: Number(e.target.value) })} />
          </label>
        );
      })}
      <p className="hint">{t('The point of the picture kept in view when the clip is cropped to this format.')}</p>
    </fieldset>
  );
}

/** Mute and the sound level of one clip (the export's remix gain: -60 to +6 dB). */
function SoundControls({ segment }: { segment: DraftSegment }) {
  const { t } = useTranslation();
  const setSound = useEditor((s) => s.setSegmentSound);
  const volume = segment.volume_db ?? 0;
  return (
    <fieldset className="field sound-controls">
      <legend>{t('Sound')}</legend>
      <label className="field checkbox">
        <input type="checkbox" checked={!!segment.muted} onChange={(e) => setSound(segment.id, { muted: e.target.checked })} />
        <span>{t('Mute this clip')}</span>
      </label>
      <div className="field-row">
        <input
          type="range"
          aria-label={t('Volume (dB)')}
          min={MIN_VOLUME_DB}
          max={MAX_VOLUME_DB}
          step={1}
          value={volume}
          disabled={!!segment.muted}
          onPointerDown={() => useEditor.getState().beginGesture()}
          onPointerUp={() => useEditor.getState().endGesture()}
          onChange={(e) => setSound(segment.id, { volume_db: Number(e.target.value) })}
        />
        <label className="field">
          <span>{t('Volume (dB)')}</span>
          <NumberInput value={volume} min={MIN_VOLUME_DB} max={MAX_VOLUME_DB} step={1} onCommit={(v) => setSound(segment.id, { volume_db: v })} label={t('Volume (dB)')} />
        </label>
      </div>
      <p className="hint">{volume <= MIN_VOLUME_DB ? t('At −60 dB the clip is silent.') : t('0 dB is the sound as recorded; −12 dB is about a quarter as loud.')}</p>
    </fieldset>
  );
}

/** A photo on the timeline: how long it shows (trim handles change it too); always silent. */
function PhotoInspector(props: { segment: DraftSegment; name: string; index: number; total: number; start: number }) {
  const { t } = useTranslation();
  const { segment, index, total, start } = props;
  const fps = useEditor((s) => s.settings.fps);
  const variants = useEditor((s) => isVariantDraft(s));
  const length = segment.end_time - segment.start_time;
  return (
    <div className="inspector-section">
      <h2>{t('Photo')}</h2>
      <p className="inspector-name">{props.name}</p>
      <dl className="facts">
        <dt>{t('Position')}</dt>
        <dd>
          {index + 1} / {total}
        </dd>
        <dt>{t('On the timeline')}</dt>
        <dd>
          {formatTime(start, fps)} → {formatTime(start + length, fps)}
        </dd>
      </dl>
      <label className="field">
        <span>{t('Shows for (s)')}</span>
        <NumberInput
          value={Math.round(length * 1000) / 1000}
          min={1 / fps}
          max={PHOTO_MAX_SECONDS}
          step={0.5}
          onCommit={(v) => useEditor.getState().setSegmentTimes(segment.id, segment.start_time, segment.start_time + snapToFrame(v, fps))}
          label={t('Shows for (s)')}
        />
      </label>
      <p className="hint">{t('A photo fills the frame like a clip and has no sound.')}</p>
      {/* A single video's photo is fitted to the frame (centred) before upload: framing applies to variants only. */}
      {variants && <FramingControls segment={props.segment} />}
      <div className="field-row">
        <button type="button" className="btn small" disabled={index <= 0} onClick={() => useEditor.getState().moveSegment(index, index - 1)}>
          ← {t('Move earlier')}
        </button>
        <button type="button" className="btn small" disabled={index >= total - 1} onClick={() => useEditor.getState().moveSegment(index, index + 1)}>
          {t('Move later')} →
        </button>
      </div>
    </div>
  );
}

/** The logo: its size, opacity and place (kept clear of the safe zones unless unticked). */
function LogoInspector() {
  const { t } = useTranslation();
  const logo = useEditor((s) => s.logo);
  const settings = useEditor((s) => s.settings);
  const keepSafe = useApp((s) => s.keepLogoSafe);
  const update = useEditor((s) => s.updateLogo);
  if (!logo) return null;
  const frame = { width: settings.width, height: settings.height };
  const place = (patch: { position?: { x: number; y: number }; width?: number }) => {
    const next = { position: patch.position ?? logo.position, width: patch.width ?? logo.width };
    update(keepSafe ? keepLogoSafe(next, logo.image, frame, settings.aspect) : next);
  };
  return (
    <div className="inspector-section">
      <h2>{t('Logo')}</h2>
      <p className="inspector-name">{logo.name}</p>
      <div className="field-row">
        <label className="field">
          <span>{t('Width (% of the frame)')}</span>
          <NumberInput value={logo.width} min={1} max={100} step={1} onCommit={(v) => place({ width: v })} label={t('Width (% of the frame)')} />
        </label>
        <label className="field">
          <span>{t('Opacity (%)')}</span>
          <NumberInput value={logo.opacity} min={0} max={100} step={5} onCommit={(v) => update({ opacity: v })} label={t('Opacity (%)')} />
        </label>
      </div>
      <div className="field-row">
        <label className="field">
          <span>{t('Horizontal position (%)')}</span>
          <NumberInput value={logo.position.x} min={0} max={100} step={1} onCommit={(v) => place({ position: { x: v, y: logo.position.y } })} label={t('Horizontal position (%)')} />
        </label>
        <label className="field">
          <span>{t('Vertical position (%)')}</span>
          <NumberInput value={logo.position.y} min={0} max={100} step={1} onCommit={(v) => place({ position: { x: logo.position.x, y: v } })} label={t('Vertical position (%)')} />
        </label>
      </div>
      <label className="field checkbox">
        <input
          type="checkbox"
          checked={keepSafe}
          onChange={(e) => {
            useApp.setState({ keepLogoSafe: e.target.checked });
            if (e.target.checked) place({});
          }}
        />
        <span>{t('Keep clear of the apps’ buttons and captions (safe zones)')}</span>
      </label>
      <p className="hint">{t('The logo is on the whole video. Drag it in the preview to move it.')}</p>
      <button type="button" className="btn small" onClick={() => useEditor.getState().setLogo(null)}>
        {t('Remove the logo')}
      </button>
    </div>
  );
}

/** The brand kit's colours as quick picks. */
function BrandSwatches({ onPick }: { onPick(colour: string): void }) {
  const { t } = useTranslation();
  const colours = useApp((s) => s.brandKit?.colours ?? []);
  if (!colours.length) return null;
  return (
    <span className="swatches" role="group" aria-label={t('Brand colours')}>
      {colours.map((c) => (
        <button key={c} type="button" className="swatch-btn" style={{ background: c }} aria-label={t('Brand colour {{colour}}', { colour: c })} onClick={() => onPick(c)} />
      ))}
    </span>
  );
}

/** The project's logo: add the brand kit's, or say where to set one. */
const LogoSection = memo(function LogoSection() {
  const { t } = useTranslation();
  const logo = useEditor((s) => s.logo);
  const kit = useApp((s) => s.brandKit);
  return (
    <section className="logo-section">
      <h3>{t('Logo')}</h3>
      {logo ? (
        <button type="button" className="btn small" onClick={() => useEditor.getState().select({ kind: 'logo' })}>
          {t('Edit the logo')}
        </button>
      ) : kit?.logo ? (
        <button type="button" className="btn small" onClick={() => applyBrandLogo()}>
          {t('Add the brand logo')}
        </button>
      ) : (
        <button type="button" className="btn small ghost" onClick={() => useApp.getState().setDialog('brand')}>
          {t('Set your logo in the brand kit')}
        </button>
      )}
    </section>
  );
});

function ProjectInspector() {
  const { t } = useTranslation();
  const settings = useEditor((s) => s.settings);
  const setAspect = useEditor((s) => s.setAspect);
  const setSettings = useEditor((s) => s.setSettings);
  return (
    <div className="inspector-section">
      <h2>{t('Video settings')}</h2>
      <div className="field">
        <span>{t('Format')}</span>
        <div className="segmented" role="group" aria-label={t('Format')}>
          {ASPECTS.map((a) => (
            <button key={a} type="button" className={settings.aspect === a ? 'on' : ''} aria-pressed={settings.aspect === a} onClick={() => setAspect(a)}>
              {a}
            </button>
          ))}
        </div>
      </div>
      <div className="field-row">
        <label className="field">
          <span>{t('Width')}</span>
          <NumberInput value={settings.width} min={64} max={4096} step={2} onCommit={(v) => setSettings({ width: Math.round(v / 2) * 2 })} label={t('Width')} />
        </label>
        <label className="field">
          <span>{t('Height')}</span>
          <NumberInput value={settings.height} min={64} max={4096} step={2} onCommit={(v) => setSettings({ height: Math.round(v / 2) * 2 })} label={t('Height')} />
        </label>
      </div>
      <label className="field">
        <span>{t('Frame rate')}</span>
        <select value={String(settings.fps)} onChange={(e) => setSettings({ fps: Number(e.target.value) })}>
          {[24, 25, 30, 50, 60].map((f) => (
            <option key={f} value={f}>
              {f} fps
            </option>
          ))}
        </select>
      </label>
      <ProjectLength />
      <FormatsLanguages />
      <LogoSection />
      <LengthGuide />
      <p className="hint">{t('Select a clip or a text on the timeline to edit it.')}</p>
    </div>
  );
}

/** The project's length and clip count: apart, so a trim re-renders these lines and not the whole panel. */
function ProjectLength() {
  const { t } = useTranslation();
  const fps = useEditor((s) => s.settings.fps);
  const duration = useEditor((s) => timelineIndex(s.segments).duration);
  const clips = useEditor((s) => s.segments.length);
  return (
    <dl className="facts">
      <dt>{t('Length')}</dt>
      <dd>{formatTime(duration, fps)}</dd>
      <dt>{t('Clips')}</dt>
      <dd>{clips}</dd>
    </dl>
  );
}

/**
 * Length guidance per platform: a 5:30 video is not a reel. The text depends on the verdicts
 * alone (not on the exact length), so it is selected as one string: a trim re-renders it only
 * when a verdict changes.
 */
function LengthGuide() {
  const { t } = useTranslation();
  const fps = useEditor((s) => s.settings.fps);
  const verdicts = useEditor((s) => {
    const seconds = timelineIndex(s.segments).duration;
    return seconds > 0 ? TARGETS.map((target) => lengthFit(seconds, target)).join(' ') : '';
  });
  if (!verdicts) return null;
  const fits = verdicts.split(' ') as LengthFit[];
  const time = (s: number) => formatTime(s, fps, { frames: false });
  return (
    <section className="length-guide" aria-label={t('Length for each platform')}>
      <h3>{t('Length for each platform')}</h3>
      <ul>
        {TARGETS.map((target, i) => {
          const fit = fits[i];
          const text =
            fit === 'too-long'
              ? t('Too long: {{name}} takes up to {{max}}.', { name: target.name, max: time(target.maxSec) })
              : fit === 'long'
                ? t('{{name}}: fits, but people watch {{best}} or less to the end.', { name: target.name, best: time(target.bestSec[1]) })
                : fit === 'too-short'
                  ? t('{{name}}: very short; {{best}} or more works better.', { name: target.name, best: time(target.bestSec[0]) })
                  : t('{{name}}: a good length.', { name: target.name });
          return (
            <li key={target.id} className={`fit-${fit}`} data-target={target.id}>
              {text}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * A number box that commits on Enter or blur (so typing "1." does not jump around). A text
 * box, not type="number": Chromium's number box drops a typed decimal comma ("1,5" became 15),
 * and French speakers type commas. ↑/↓ step the value like a spin box.
 */
function NumberInput(props: { value: number; min?: number; max?: number; step?: number; label: string; onCommit(value: number): void }) {
  const { i18n } = useTranslation();
  const comma = i18n.language === 'fr';
  const shown = format(props.value, comma);
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const clamp = (v: number) => {
    if (props.min !== undefined) v = Math.max(props.min, v);
    if (props.max !== undefined) v = Math.min(props.max, v);
    return v;
  };
  const commit = (raw = text) => {
    const value = Number(raw.trim().replace(',', '.'));
    if (raw.trim() === '' || !Number.isFinite(value)) {
      setText(shown);
      return;
    }
    const v = clamp(value);
    if (v !== props.value) props.onCommit(v);
    else setText(shown);
  };
  return (
    <input
      type="text"
      inputMode="decimal"
      autoComplete="off"
      spellCheck={false}
      aria-label={props.label}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => commit()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setText(shown);
        if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
          e.preventDefault();
          const step = (props.step ?? 1) * (e.key === 'ArrowUp' ? 1 : -1);
          const v = clamp(Math.round((props.value + step) * 1000) / 1000);
          if (v !== props.value) props.onCommit(v);
        }
      }}
    />
  );
}

function format(value: number, comma: boolean): string {
  const text = String(Math.round(value * 1000) / 1000);
  return comma ? text.replace('.', ',') : text;
}
