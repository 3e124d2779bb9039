import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ScenarioSchema } from './schema';

describe('the published JSON Schema', () => {
  it('is the one generated from the validator (regenerate: npm run sim -- schema --out docs/scenario.schema.json)', () => {
    const generated = z.toJSONSchema(ScenarioSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
    const committed: unknown = JSON.parse(
      readFileSync(new URL('../../../docs/scenario.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
  });
});
