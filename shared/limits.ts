/**
 * Sizes of what people type or files carry, so hostile or accidental input (a pasted 100 KB
 * caption, a megabyte of id) is refused by name before any work is done on it.
 */

/** Characters in one caption: a full 9:16 frame of small text is about 1,500; more cannot be read. */
export const MAX_CAPTION_LENGTH = 2000;
/** Characters in an id (`property_id`, `template_id`, segment and overlay ids): they go into job metadata. */
export const MAX_ID_LENGTH = 256;
/** Characters in a `video_url` (S3 keys are at most 1,024 bytes; paths on disk at most 4,096). */
export const MAX_URL_LENGTH = 4096;
