/**
 * One edit, several videos: a request with `formats` and/or `languages` expands into one
 * single-video request per format (each segment framed for it, each overlay placed for it) and,
 * within a format, one overlay set per language. The generation function makes one MediaConvert
 * job per format with one output per language; the exporter names the files by label.
 */
import type { Aspect } from './output-settings';
import {
  parseGenerationRequest,
  requestFormats,
  RequestValidationError,
  type GenerationRequest,
  type ParsedRequest,
  type Segment,
  type TextOverlay,
} from './request';

/** One video of a variant request. */
export interface Variant {
  format: Aspect;
  /** Absent when the request names no languages. */
  language?: string;
  /** `9x16-fr`: the file-name part and the MediaConvert NameModifier (after a dash). */
  label: string;
}

/** One format's job: its single-video request and the overlays of each language's output. */
export interface FormatPlan {
  format: Aspect;
  /** The request of this format in the first language, parsed: what the job's inputs follow. */
  parsed: ParsedRequest;
  outputs: { variant: Variant; overlays: TextOverlay[] }[];
}

/** True when the request asks for variants (then files carry labels, even for one format). */
export function isVariantRequest(request: Pick<GenerationRequest, 'formats' | 'languages'>): boolean {
  return request.formats !== undefined || request.languages !== undefined;
}

/** `9:16` + `fr` -> `9x16-fr`; without a language `9x16`. */
export function variantLabel(format: Aspect, language?: string): string {
  const shape = format.replace(':', 'x');
  return language ? `${shape}-${language}` : shape;
}

/** Every video the request makes, format by format, languages in their order. */
export function listVariants(request: Pick<GenerationRequest, 'formats' | 'languages'>, output: Pick<ParsedRequest['output'], 'aspect'>): Variant[] {
  const languages: (string | undefined)[] = request.languages ?? [undefined];
  return requestFormats(request, output).flatMap((format) =>
    languages.map((language) => ({ format, ...(language !== undefined && { language }), label: variantLabel(format, language) })),
  );
}

/** A caption as one variant shows it: its text in the language, its place in the format. */
export function overlayFor(overlay: TextOverlay, format: Aspect, language: string | undefined, firstLanguage: string | undefined): TextOverlay {
  const placement = overlay.placements?.[format];
  const content = language === undefined || language === firstLanguage ? overlay.content : overlay.translations?.[language] ?? overlay.content;
  const { translations: _t, placements: _p, ...rest } = overlay;
  return {
    ...rest,
    content,
    position: placement?.position ?? overlay.position,
    style: { ...overlay.style, ...(placement?.font_size !== undefined && { font_size: placement.font_size }) },
  };
}

/** A segment as one format frames it: its own focus, or that format's. */
export function segmentFor(segment: Segment, format: Aspect): Segment {
  const { placements, ...rest } = segment;
  const focus = placements?.[format]?.focus ?? segment.focus;
  return { ...rest, ...(focus && { focus }) };
}

/**
 * The jobs of a request: one per format. A request without variants gives one plan whose
 * `parsed` is the request itself, with one unlabelled output (a single video, as always).
 */
export function planFormats(parsed: ParsedRequest): FormatPlan[] {
  const { request } = parsed;
  if (!isVariantRequest(request)) {
    const variant: Variant = { format: parsed.output.aspect, label: '' };
    return [{ format: parsed.output.aspect, parsed, outputs: [{ variant, overlays: request.text_overlays.map((o) => overlayFor(o, parsed.output.aspect, undefined, undefined)) }] }];
  }
  const firstLanguage = request.languages?.[0];
  const variants = listVariants(request, parsed.output);
  return requestFormats(request, parsed.output).map((format) => {
    const { formats: _f, languages: _l, ...single } = request;
    const formatRequest: GenerationRequest = {
      ...single,
      output: { aspect: format, ...(request.output?.fps !== undefined && { fps: request.output.fps }) },
      segments: request.segments.map((s) => segmentFor(s, format)),
      text_overlays: request.text_overlays.map((o) => overlayFor(o, format, firstLanguage, firstLanguage)),
    };
    const reparsed = parseGenerationRequest(formatRequest);
    // The whole request was valid; a format's own request can only fail on a rule of that frame.
    if (!reparsed.ok) throw new RequestValidationError(reparsed.errors.map((e) => ({ ...e, message: `${e.message} (in the ${format} video)` })));
    return {
      format,
      parsed: reparsed,
      outputs: variants.filter((v) => v.format === format).map((variant) => ({
        variant,
        overlays: request.text_overlays.map((o) => overlayFor(o, format, variant.language, firstLanguage)),
      })),
    };
  });
}
