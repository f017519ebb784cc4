/**
 * Why an export failed, in the user's language: the host sends a code (and for credentials and
 * permissions a reason and the IAM action), this turns them into a sentence a hotel editor can
 * act on. The host's English message is the fallback and stays under "Details".
 */
import type { ExportError } from '../../../shared/api';

type T = (key: string, options?: Record<string, unknown>) => string;

/** What each permission an export needs lets it do (keys: IAM actions). */
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

function credentialProblem(t: T, reason: string | undefined): string | undefined {
  switch (reason) {
    case 'unknown-key':
      return t('AWS does not know this access key: it was deleted, deactivated or mistyped. Check the keys in Settings › AWS.');
    case 'wrong-secret':
      return t('The secret access key does not match the access key: enter the secret again in Settings › AWS.');
    case 'session-expired':
      return t('The AWS session has expired: sign in again (for an SSO profile: aws sso login).');
    case 'clock':
      return t('This computer’s clock is more than 5 minutes wrong: AWS refuses requests until it is set right.');
    case 'no-credentials':
      return t('No AWS credentials were found: choose a profile or enter keys in Settings › AWS.');
    default:
      return undefined;
  }
}

export function friendlyExportError(t: T, error: ExportError, fallback: (code: string) => string): string {
  const { code, message, field } = error;
  switch (code) {
    case 'invalid-input':
      return field ? t('Something in the video needs fixing ({{field}}): {{message}}', { field, message }) : message;
    case 'network':
      return t('The connection was lost. Check the internet connection and retry.');
    case 'local-cloud-stopped':
      return t('The built-in export service stopped during the export. Export again to restart it.');
    case 'aws-auth':
      return credentialProblem(t, error.reason) ?? t('AWS refused the credentials: {{message}}', { message });
    case 'aws-permission': {
      const permission = error.permission ?? '';
      const what = permissionWords(t, permission) ?? permission;
      if (!permission) return t('AWS refused a permission: {{message}}', { message });
      return error.reason === 'role'
        ? t('The cloud side may not {{what}} (its role lacks {{permission}}). Ask your AWS administrator to update the Hospup stack.', { what, permission })
        : t('Your AWS user may not {{what}} (missing permission {{permission}}). Ask your AWS administrator to attach the Hospup user policy.', { what, permission });
    }
    case 'render':
      return t('The render failed: {{message}}', { message });
    default:
      return message || fallback(code);
  }
}
