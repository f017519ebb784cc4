// Job error codes of the local MediaConvert, chosen to match the real service's meaning
// (https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_error_codes.html) where one exists.
export const ERROR_CODES = {
  /** An input (video or overlay image) cannot be opened: missing object, not a media file. Real: 1010 "File access error". */
  INPUT_NOT_OPENED: 1010,
  /** A setting the local renderer does not implement, or an invalid combination (named by JSON path). */
  SETTINGS_NOT_IMPLEMENTED: 1030,
  /** Settings that do not fit the input: clipping past the end of the source, missing audio track, bad frame number in a timecode. */
  INPUT_MISMATCH: 1040,
  /** The rendered file could not be stored at the destination. Real: 1401-style output write failure. */
  OUTPUT_WRITE_FAILED: 1401,
  /** ffmpeg failed for another reason. Real: 1999 "unknown error". */
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
