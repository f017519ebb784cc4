// Job error codes of the local MediaConvert: the real service's codes, used with the meanings
// of AWS's "Error codes" page (https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_error_codes.html),
// the same table cloud/lambda/media-convert-status.ts explains to users.
export const ERROR_CODES = {
  /** 1404 "could not find a file or Amazon S3 bucket": an input object (clip or overlay image) is not in the store. */
  INPUT_NOT_FOUND: 1404,
  /** 1010 "can't open one or more of your input files": the object exists but is not media ffmpeg can read. */
  INPUT_NOT_OPENED: 1010,
  /** 1040 "settings aren't supported in the combination specified, or aren't compatible with the input":
   *  a setting the local renderer does not implement (named by JSON path), or one that does not fit
   *  the input (an audio track or channel layout it does not have). */
  SETTINGS_ERROR: 1040,
  /** 1060 "the start and end timecodes specified for an input clip don't exist in the input". */
  CLIPPING_ERROR: 1060,
  /** 1056 "can't open an input or output file": the rendered file could not be stored at the destination. */
  OUTPUT_NOT_OPENED: 1056,
  /** 1401 "access denied" by Amazon S3: the job's role may not read an input or write the output. */
  S3_ACCESS_DENIED: 1401,
  /** 1433 the job's IAM role does not exist. */
  ROLE_NOT_FOUND: 1433,
  /** 1434 the job's IAM role does not trust MediaConvert (its trust policy). */
  ROLE_NOT_TRUSTED: 1434,
  /** 1999 "unexpected transcoding error": ffmpeg failed for another reason. */
  RENDER_FAILED: 1999,
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** An error that ends a job in ERROR with this code and message. */
export class JobError extends Error {
  constructor(readonly errorCode: ErrorCode, message: string) {
    super(message);
    this.name = 'JobError';
  }
}
