/** compileDraft's issues in the app's language: the English sentence is the translation key. */
import { DRAFT_ISSUE_TEXT, type DraftIssue } from '../../../shared/compile-draft';
import { i18n } from './index';

export function draftIssueText(issue: DraftIssue): string {
  return i18n.t(DRAFT_ISSUE_TEXT[issue.code], issue.params) as string;
}
