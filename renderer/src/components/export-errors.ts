/**
 * Why an export failed, in the user's language. The host sends the code and, for causes the
 * person must act on (wrong keys, a refused permission, a stopped export service), the English
 * template of its message with its parameters (`key`, `params`, as every host error): the UI
 * says that sentence from its translation table. The host's message stays under "Details".
 */
import type { ExportError } from '../../../shared/api';

type T = (key: string, options?: Record<string, unknown>) => string;

/** What each permission an export needs lets it do (keys: IAM actions; the same words as the host's). */
function permissionWords(t: T, action: string): string | undefined {
  const words: Record<string, () => string> = {
    's3:PutObject': () => t('upload clips to the bucket'),
    's3:GetObject': () => t('read files in the bucket'),
    's3:ListBucket': () => t('look inside the bucket'),
    's3:AbortMultipartUpload': () => t('cancel an unfinished upload'),
    's3:ListMultipartUploadParts': () => t('resume an unfinished upload'),
    'lambda:InvokeFunction': () => t('start the video generation function'),
    'mediaconvert:CreateJob': () => t('submit the render to MediaConvert'),
    'mediaconvert:GetJob': () => t('follow the render'),
    'mediaconvert:CancelJob': () => t('cancel the render'),
    'mediaconvert:Probe': () => t('read the clips’ frame rate and sound'),
    'iam:PassRole': () => t('give MediaConvert its role'),
  };
  return words[action]?.();
}

/** The host's sentence in the UI's language, when it came with its template. */
function translated(t: T, error: ExportError): string | undefined {
  if (!error.key) return undefined;
  const params: Record<string, unknown> = { ...error.params };
  if (typeof params.permission === 'string') params.what = permissionWords(t, params.permission) ?? params.what;
  return t(error.key, params);
}

export function friendlyExportError(t: T, error: ExportError, fallback: (code: string) => string): string {
  const { code, message, field } = error;
  switch (code) {
    case 'invalid-input':
      return field ? t('Something in the video needs fixing ({{field}}): {{message}}', { field, message }) : message;
    case 'network':
      return t('The connection was lost. Check the internet connection and retry.');
    case 'aws-auth':
      return translated(t, error) ?? t('AWS refused the credentials: {{message}}', { message });
    case 'aws-permission':
    case 'local-cloud-stopped':
      return translated(t, error) ?? message;
    case 'render':
      return t('The render failed: {{message}}', { message });
    default:
      return translated(t, error) ?? (message || fallback(code));
  }
}
