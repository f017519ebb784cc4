/**
 * The built-in templates come from the host in English (names, descriptions, preset titles).
 * Their texts are keys of the translation table, so a French user gets French titles in the
 * video, not "Book your stay". A user's own templates are left as written.
 */
type Translate = (key: string, options?: Record<string, unknown>) => string;

const PROJECT = '{project}';
/** What the host writes for {project} when the project has no name (templates/apply.ts). */
const UNNAMED = 'our hotel';

/** A preset overlay text as filled by the host → the same text in the UI language. */
export function localizeTemplateText(content: string, projectName: string, t: Translate): string {
  const name = projectName.trim() || UNNAMED;
  const key = content.includes(name) ? content.replaceAll(name, PROJECT) : content;
  const translated = t(key);
  if (translated === key) return content; // not a preset, or English
  const shownName = projectName.trim() || t(UNNAMED);
  return translated.replaceAll(PROJECT, shownName);
}
