/** MediaConvert's job state, in the words a hotel editor (and our client) can act on. */
import type { Job } from '@aws-sdk/client-mediaconvert';
import type { JobStatusReply as JobStatus } from '../../shared/generator-contract';

export type { JobStatus };

/**
 * MediaConvert's job error codes, said plainly. Meanings from AWS's "Error codes" page
 * (https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_error_codes.html); codes the
 * page lists without a meaning we could confirm are left out (the user then sees MediaConvert's
 * own message). The local MediaConvert (cloud/local/mediaconvert/error-codes.ts) uses the same codes.
 */
export const PLAIN_ERRORS: Readonly<Record<number, string>> = {
  1010: 'One of the source clips could not be opened: it may be damaged, not a video, or in a format MediaConvert does not read.',
  1020: 'One of the source clips has no picture MediaConvert can find.',
  1021: 'One of the source clips has no sound where the render expected some.',
  1030: 'One of the source clips uses a codec or container MediaConvert does not support.',
  1040: 'The render settings do not work together, or do not fit one of the source clips.',
  1041: 'The render settings cannot be used with accelerated transcoding.',
  1042: 'This render is too small to benefit from accelerated transcoding.',
  1050: 'MediaConvert ran out of disk space for this render: make the video shorter.',
  1056: 'MediaConvert could not open one of the source clips, overlay images or the output file.',
  1060: 'A segment starts or ends at a time its source clip does not have (clipping error).',
  1075: 'One of the source clips could not be read: its container looks damaged.',
  1076: 'One of the source clips could not be read to the end: the file may be cut short.',
  1080: 'The MXF output settings are not valid.',
  1091: 'MediaConvert could not encrypt the video.',
  1092: 'The sound of one of the source clips could not be decoded.',
  1401: 'Amazon S3 refused MediaConvert access to a file or the bucket (check the bucket policy and the MediaConvert role\'s S3 permissions).',
  1404: 'MediaConvert could not find a source clip or the bucket (check that the clip is still in the bucket).',
  1432: 'The MediaConvert role lacks a permission it needs (check the role set in MEDIA_CONVERT_ROLE_ARN).',
  1433: 'The MediaConvert role does not exist (check MEDIA_CONVERT_ROLE_ARN).',
  1434: 'The MediaConvert role does not trust MediaConvert (its trust policy must allow mediaconvert.amazonaws.com).',
  1507: 'MediaConvert ran out of disk space for this render: make the video shorter.',
  1515: 'The MediaConvert role lacks a permission or is malformed (check MEDIA_CONVERT_ROLE_ARN).',
  1550: 'Accelerated transcoding failed unexpectedly.',
  1999: 'MediaConvert failed unexpectedly while rendering.',
  3400: 'An HLS source does not meet MediaConvert\'s requirements for HLS inputs.',
  3401: 'An HTTP source needs a login MediaConvert cannot give.',
  3403: 'An HTTP server refused to give MediaConvert a source clip.',
  3404: 'An HTTP server does not have the source clip.',
  3408: 'A source clip could not be fetched over HTTP.',
  3450: 'An HTTP server failed while MediaConvert was fetching a source clip.',
  3451: 'MediaConvert could not connect to the HTTP server of a source clip.',
  3457: 'A source location is not allowed by the account\'s MediaConvert policy.',
  3999: 'A source clip could not be fetched over HTTP for an unknown reason.',
};

export function plainErrorMessage(code: number | undefined, message: string | undefined): string {
  const known = code !== undefined ? PLAIN_ERRORS[code] : undefined;
  if (known) return known;
  return message ? `The video could not be rendered: ${message}` : 'The video could not be rendered.';
}

export function describeJob(job: Job): JobStatus {
  const status = (job.Status ?? 'SUBMITTED') as JobStatus['status'];
  const group = job.Settings?.OutputGroups?.[0];
  const destination = group?.OutputGroupSettings?.FileGroupSettings?.Destination;
  const details = job.OutputGroupDetails?.[0]?.OutputDetails?.[0];
  const result: JobStatus = {
    job_id: job.Id ?? '',
    status,
    phase: status === 'COMPLETE' ? 'COMPLETE' : (job.CurrentPhase ?? status),
    percent: status === 'COMPLETE' ? 100 : (job.JobPercentComplete ?? 0),
  };
  if (destination) {
    const files = (group?.Outputs ?? [{}]).map((output) => `${destination}${output.NameModifier ?? ''}.mp4`);
    result.output_url = files[0];
    if (files.length > 1) result.output_urls = files;
  }
  if (details?.DurationInMs !== undefined) result.duration_ms = details.DurationInMs;
  if (status === 'ERROR') {
    result.error = {
      code: job.ErrorCode ?? null,
      message: plainErrorMessage(job.ErrorCode, job.ErrorMessage),
      detail: job.ErrorMessage ?? '',
    };
  }
  return result;
}
