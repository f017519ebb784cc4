import { OverlayError } from './errors';
import type { Rgba } from './types';

const HEX_COLOUR = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Parses `#RGB`, `#RRGGBB` or `#RRGGBBAA`; `field` names the spec field in the error. */
export function parseHexColour(value: unknown, field: string): Rgba {
  if (typeof value !== 'string' || !HEX_COLOUR.test(value)) {
    throw new OverlayError(field, `must be a hex colour like #FFFFFF or #00000080 (got ${JSON.stringify(value)})`);
  }
  let hex = value.slice(1);
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const byte = (i: number) => parseInt(hex.slice(i, i + 2), 16);
  return { r: byte(0), g: byte(2), b: byte(4), a: hex.length === 8 ? byte(6) : 255 };
}

/** SVG paint attributes for a colour: `fill="#rrggbb"` plus `fill-opacity` when not opaque. */
export function svgFill(colour: Rgba): string {
  const hex = [colour.r, colour.g, colour.b].map((v) => v.toString(16).padStart(2, '0')).join('');
  const opacity = colour.a === 255 ? '' : ` fill-opacity="${formatNumber(colour.a / 255, 4)}"`;
  return `fill="#${hex}"${opacity}`;
}

/** A number with at most `decimals` decimals, no trailing zeros, no "-0". */
export function formatNumber(value: number, decimals = 2): string {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
