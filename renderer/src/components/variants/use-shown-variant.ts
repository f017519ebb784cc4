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

/** The variant the preview shows: the view's format and language while the project still makes them. */
export function useShownVariant(): ShownVariant {
  const settings = useEditor((s) => s.settings);
  const formatList = useEditor((s) => s.formats);
  const languageList = useEditor((s) => s.languages);
  const view = useEditor((s) => s.view);
  const formats = draftFormats({ settings, formats: formatList });
  const languages = draftLanguages({ languages: languageList });
  const format = formats.includes(view.format) ? view.format : settings.aspect;
  const frame = format === settings.aspect ? { width: settings.width, height: settings.height } : ASPECT_FRAMES[format];
  const language = view.language && languages.includes(view.language) ? view.language : languages[0];
  return { format, frame, language, firstLanguage: languages[0] };
}
