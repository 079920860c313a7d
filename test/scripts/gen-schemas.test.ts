import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, renderSchemas } from '../../scripts/gen-schemas.ts';

test('gen-schemas: every committed JSON schema equals the one generated from the zod schema', (t) => {
  const generated = renderSchemas();
  t.true(generated.length > 0);
  for (const { file, text } of generated) {
    const committed = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    t.is(committed, text, `${file} is stale: run node --import=tsx scripts/gen-schemas.ts`);
  }
});

test('gen-schemas: the engram-config schema forbids unknown keys at every object level', (t) => {
  const schema = JSON.parse(renderSchemas().find((s) => s.file.endsWith('engram-config.schema.json'))!.text);
  t.is(schema.additionalProperties, false);
  t.is(schema.properties.engram.additionalProperties, false);
  t.is(schema.properties.backbone.additionalProperties, false);
  t.is(schema.properties.engram.properties.provenance.additionalProperties, false);
});
