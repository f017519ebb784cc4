/** Photos on the timeline: how long one shows when it is dropped, and at most (the editor's trim range). */
export const PHOTO_DEFAULT_SECONDS = 3;
export const PHOTO_MAX_SECONDS = 60;

/** File names the app imports as photos (the request's PHOTO_EXTENSIONS, with a dot). */
export const PHOTO_FILE_PATTERN = /\.(jpe?g|png|webp|heic|heif)$/i;
