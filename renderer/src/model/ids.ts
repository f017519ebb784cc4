/** Short unique ids for segments and overlays (unique within a project, readable in JSON). */
let counter = 0;

export function newId(prefix: string): string {
  counter = (counter + 1) % 1_000_000;
  const random = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0');
  return `${prefix}_${Date.now().toString(36)}${counter.toString(36)}${random}`;
}
