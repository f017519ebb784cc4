/** A caption file's problems and warnings in the app's language: the English sentence is the translation key. */
import { SUBTITLE_NOTE_TEXT, type SubtitleNote } from '../../../shared/subtitles';
import { i18n } from './index';

export function subtitleNoteText(note: SubtitleNote): string {
  const text = i18n.t(SUBTITLE_NOTE_TEXT[note.code], note.params) as string;
  return note.line === undefined ? text : (i18n.t('line {{line}}: {{problem}}', { line: note.line, problem: text }) as string);
}
