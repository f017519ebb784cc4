/** A user-facing overlay problem; `field` is the path inside one overlay, e.g. `style.font_family`. */
export class OverlayError extends Error {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'OverlayError';
    this.field = field;
  }
}
