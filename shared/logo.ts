/**
 * Where the logo goes, in output pixels: one pure function for the preview, the exporter (which
 * sizes the PNG it uploads) and the generation function (which places it with the image
 * inserter). Output-level images are not scaled by MediaConvert when the PNG already has the
 * size the inserter is told, so the preview, the local render and AWS agree to the pixel.
 */

export interface ImageSize {
  width: number;
  height: number;
}

export interface LogoPlacement {
  /** Centre, percent of the frame. */
  position: { x: number; y: number };
  /** Percent of the frame width. */
  width: number;
}

export interface LogoBox {
  /** Top-left, output pixels (MediaConvert ImageX / ImageY). */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The logo's pixel size: `width` percent of the frame width, the height from the image's aspect; never larger than the frame. */
export function logoSize(placement: Pick<LogoPlacement, 'width'>, image: ImageSize, frame: ImageSize): ImageSize {
  let width = Math.max(1, Math.round((frame.width * placement.width) / 100));
  let height = Math.max(1, Math.round((width * image.height) / image.width));
  if (height > frame.height) {
    // A very tall logo: as tall as the frame, narrower.
    height = frame.height;
    width = Math.max(1, Math.min(frame.width, Math.round((height * image.width) / image.height)));
  }
  return { width, height };
}

/** The logo's box: centred on its position, moved back inside the frame when it would cross an edge. */
export function logoBox(placement: LogoPlacement, image: ImageSize, frame: ImageSize): LogoBox {
  const size = logoSize(placement, image, frame);
  const clamp = (value: number, max: number) => Math.min(Math.max(0, value), Math.max(0, max));
  const x = clamp(Math.round((frame.width * placement.position.x) / 100 - size.width / 2), frame.width - size.width);
  const y = clamp(Math.round((frame.height * placement.position.y) / 100 - size.height / 2), frame.height - size.height);
  return { x, y, ...size };
}
