import { ASPECT_FRAMES, type Aspect } from '../../../../shared/output-settings';
import { draftFormats, draftLanguages } from '../../../../shared/draft-variants';
import { useEditor } from '../../store/editor-store';

export interface ShownVariant {
  format: Aspect;
  /** Output pixels of that format: the settings' for the main one, 1080 px on the short side for the others (as the render). */
  frame: { width: number; height: number };
  /** The captions' language shown (undefined: their own). */
  language?: string;
  firstLanguage?: string;
}

/** The project's formats (its main one first) and caption languages, as the store holds them now. */
export function useProjectVariants(): { formats: Aspect[]; languages: string[] } {
  // The store's own fields are selected (stable references); the lists are derived from them.
  const settings = useEditor((s) => s.settings);
  const formatList = useEditor((s) => s.formats);
  const languageList = useEditor((s) => s.languages);
  return { formats: draftFormats({ settings, formats: formatList }), languages: draftLanguages({ languages: languageList }) };
}

/** The variant the preview shows: the view's format and language while the project still makes them. */
export function useShownVariant(): ShownVariant {
  const settings = useEditor((s) => s.settings);
  const view = useEditor((s) => s.view);
  const { formats, languages } = useProjectVariants();
  const format = formats.includes(view.format) ? view.format : settings.aspect;
  const frame = format === settings.aspect ? { width: settings.width, height: settings.height } : ASPECT_FRAMES[format];
  const language = view.language && languages.includes(view.language) ? view.language : languages[0];
  return { format, frame, language, firstLanguage: languages[0] };
}
