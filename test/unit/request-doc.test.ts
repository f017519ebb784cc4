// docs/request.md and docs/request.schema.json are generated from the request schema: they must
// match it, every field must say what it means, and the JSON Schema must accept what we accept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { REQUEST_DOC, REQUEST_SCHEMA, renderRequestDoc, renderRequestSchema, requestJsonSchema } from '../../scripts/request-doc';
import { GenerationRequestSchema } from '../../shared/request';
import { GUIDE_CURL_REQUEST } from '../fixtures/guide-requests';

test('docs/request.md is what the schema generates (run `npm run docs` after changing shared/request.ts)', () => {
  assert.equal(readFileSync(REQUEST_DOC, 'utf8'), renderRequestDoc());
});

test('docs/request.schema.json is what the schema generates', () => {
  assert.equal(readFileSync(REQUEST_SCHEMA, 'utf8'), renderRequestSchema());
});

test('every field of the request is in the reference, with its meaning', () => {
  const doc = renderRequestDoc();
  const walk = (node: Record<string, any>, path: string): string[] =>
    Object.entries<Record<string, any>>(node.properties ?? {}).flatMap(([name, child]) => {
      const nested = child.type === 'array' ? child.items : child;
      return [`${path}${name}`, ...(nested?.type === 'object' ? walk(nested, `${path}${name}${child.type === 'array' ? '[]' : ''}.`) : [])];
    });
  const fields = walk(requestJsonSchema(), '');
  assert.ok(fields.length > 30, `${fields.length} fields`);
  for (const field of fields) {
    const parent = field.includes('.') ? field.slice(0, field.lastIndexOf('.')) : '';
    const leaf = field.slice(field.lastIndexOf('.') + 1);
    const section = doc.split('\n## ').find((s) => (parent ? s.startsWith(`\`${parent}\``) : s.startsWith('Top level')));
    assert.ok(section, `a section for ${parent || 'the top level'}`);
    const row = section.split('\n').find((line) => line.startsWith(`| \`${leaf}\` |`));
    assert.ok(row, `${field} has a row`);
    const cells = row.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
    assert.equal(cells.length, 5, row);
    assert.ok(cells[1] && cells[2] && cells[4].length > 5, `${field}: type, required and meaning filled in (${row})`);
  }
  // Every field the schema knows, at every level, is described (the generator throws otherwise).
  assert.ok(Object.keys(GenerationRequestSchema.shape).every((key) => doc.includes(`| \`${key}\` |`)));
});

test("the JSON Schema accepts the guide's request and colours in either case", () => {
  const schema = requestJsonSchema() as any;
  const colourPattern = new RegExp(schema.properties.text_overlays.items.properties.style.properties.color.pattern);
  assert.ok(colourPattern.test('#FFFFFF') && colourPattern.test('#ffffff80'));
  assert.deepEqual(schema.required, ['property_id', 'template_id', 'segments']);
  for (const key of Object.keys(GUIDE_CURL_REQUEST)) assert.ok(key in schema.properties, key);
});
