/** MediaConvert's job state, in the words a hotel editor (and our client) can act on. */
import type { Job } from '@aws-sdk/client-mediaconvert';
import type { JobStatusReply as JobStatus } from '../../shared/generator-contract';

export type { JobStatus };

/** Known MediaConvert error codes, said plainly. */
const PLAIN_ERRORS: Record<number, string> = {
  1010: 'One of the source clips could not be opened: it may be missing or not a video.',
  1020: 'One of the source clips could not be read: the file may be damaged.',
  1030: 'The render settings are not supported.',
  1040: 'One of the source clips could not be decoded.',
  1056: 'The overlay images could not be read.',
  1401: 'MediaConvert was refused access to a source clip (check the MediaConvert role\'s S3 read permission).',
  1432: 'MediaConvert could not write the video (check the MediaConvert role\'s S3 write permission).',
  1433: 'MediaConvert could not write the video to the bucket.',
  3400: 'MediaConvert was refused access to the bucket (check the MediaConvert role).',
  3450: 'MediaConvert could not write the video to the bucket (check the MediaConvert role).',
};

export function plainErrorMessage(code: number | undefined, message: string | undefined): string {
  const known = code !== undefined ? PLAIN_ERRORS[code] : undefined;
  if (known) return known;
  return message ? `The video could not be rendered: ${message}` : 'The video could not be rendered.';
}

export function describeJob(job: Job): JobStatus {
  const status = (job.Status ?? 'SUBMITTED') as JobStatus['status'];
  const destination = job.Settings?.OutputGroups?.[0]?.OutputGroupSettings?.FileGroupSettings?.Destination;
  const details = job.OutputGroupDetails?.[0]?.OutputDetails?.[0];
  const result: JobStatus = {
    job_id: job.Id ?? '',
    status,
    phase: status === 'COMPLETE' ? 'COMPLETE' : (job.CurrentPhase ?? status),
    percent: status === 'COMPLETE' ? 100 : (job.JobPercentComplete ?? 0),
  };
  if (destination) result.output_url = `${destination}.mp4`;
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
