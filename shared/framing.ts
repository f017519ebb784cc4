/**
 * How a clip's picture is framed in a video of another shape: the largest rectangle of the
 * frame's shape inside the picture, placed so the focus point is as central as the picture
 * allows. Used by the job compiler (MediaConvert's input Crop) and by the editor's preview, so
 * both show the same part of the clip.
 */

export interface Size {
  width: number;
  height: number;
}

export interface Rect extends Size {
  x: number;
  y: number;
}

/** The picture as shown: a clip stored 1920x1080 with a 90° rotation shows 1080x1920. */
export function uprightSize(stored: Size, rotation = 0): Size {
  const quarter = ((Math.round(rotation / 90) % 4) + 4) % 4;
  return quarter % 2 ? { width: stored.height, height: stored.width } : { width: stored.width, height: stored.height };
}

/** MediaConvert's crop rectangle takes even numbers only. */
const evenDown = (n: number) => Math.max(0, Math.floor(n / 2) * 2);

/**
 * The crop of `picture` (upright pixels) for `frame`, keeping `focus` (percent of the picture) in
 * view: full height and centred on the focus horizontally when the picture is wider than the
 * frame's shape, full width and centred vertically otherwise; clamped to the picture's edges.
 * All values even; within a pixel or two of the frame's shape.
 */
export function focusCrop(picture: Size, frame: Size, focus: { x: number; y: number }): Rect {
  const frameRatio = frame.width / frame.height;
  const wider = picture.width / picture.height > frameRatio;
  const width = evenDown(wider ? Math.min(picture.width, picture.height * frameRatio) : picture.width);
  const height = evenDown(wider ? picture.height : Math.min(picture.height, picture.width / frameRatio));
  const place = (centre: number, span: number, whole: number) => evenDown(Math.min(Math.max(centre - span / 2, 0), whole - span));
  return {
    x: place((focus.x / 100) * picture.width, width, picture.width),
    y: place((focus.y / 100) * picture.height, height, picture.height),
    width,
    height,
  };
}
