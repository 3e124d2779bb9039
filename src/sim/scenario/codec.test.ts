import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import {
  decodeLink,
  decodeEnvelopeText,
  encodeEnvelope,
  fromBase64Url,
  inflateCapped,
  makeEnvelope,
  toBase64Url,
  verifyReplay,
  MAX_INFLATED_BYTES,
  CODEC,
} from './codec';
import { defaultScenario, faultsScenario } from './builtins';
import { scenarioArb } from './arbitrary.testkit';
import { worldAt, worldHash } from '../engine/engine';
import golden from './golden-links.v1.json';
import { runs } from '../core/fuzz.testkit';

const pack = (text: string): string => `${CODEC}:${toBase64Url(deflateSync(new TextEncoder().encode(text)))}`;

describe('base64url', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(fromBase64Url(toBase64Url(b))).toEqual(b);
      }),
    );
  });
  it('refuses characters outside the alphabet', () => {
    expect(fromBase64Url('ab+c')).toBeNull();
    expect(fromBase64Url('ab=c')).toBeNull();
    expect(fromBase64Url('abcd\u00e9')).toBeNull();
  });
});

describe('links round-trip', () => {
  it('a scenario and tick come back byte for byte, and the replay matches the hash', () => {
    fc.assert(
      fc.property(scenarioArb({ maxDuration: 120 }), fc.nat({ max: 120 }), (s, t) => {
        const e = makeEnvelope(s, t);
        const d = decodeLink(`https://example.test/statelab/#s=${encodeEnvelope(e)}`);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(JSON.stringify(d.envelope.scenario)).toBe(JSON.stringify(s));
        expect(d.envelope.tick).toBe(e.tick);
        expect(verifyReplay(d.envelope).mismatch).toBeNull();
      }),
      { numRuns: runs(40) },
    );
  });

  it('a link made by another engine that replays differently says so', () => {
    const e = { ...makeEnvelope(defaultScenario(), 100), engine: '0.9.0', hash: '0'.repeat(64) };
    const d = decodeLink(encodeEnvelope(e));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const v = verifyReplay(d.envelope);
    expect(v.mismatch).toEqual({
      recorded: '0'.repeat(64),
      replayed: worldHash(worldAt(defaultScenario(), 100)),
      recordedEngine: '0.9.0',
    });
  });

  it('stays short enough for a QR code for the default scenario with some actions', () => {
    const s = { ...faultsScenario() };
    const link = encodeEnvelope(makeEnvelope(s, 300));
    expect(link.length).toBeLessThan(2000);
  });
});

describe('files that are not scenarios say so', () => {
  it('null, a list, a number: "not a StateLab file"; v 1.5: "not a valid version"', () => {
    const msg = (text: string): string => {
      const d = decodeEnvelopeText(text);
      return d.ok ? 'opened' : d.error.message;
    };
    expect(msg('null')).toBe('this is not a StateLab file: it holds null, not a scenario envelope (a JSON object)');
    expect(msg('[1]')).toMatch(/not a StateLab file: it holds a list/);
    expect(msg('3')).toMatch(/not a StateLab file: it holds a number/);
    const env = makeEnvelope(defaultScenario(), 0);
    expect(msg(JSON.stringify({ ...env, v: 1.5 }))).toBe('1.5 is not a valid version (a whole number from 1)');
    expect(msg(JSON.stringify({ ...env, v: 2 }))).toMatch(/made by a newer StateLab/);
  });
});

describe('hostile links are refused at the right stage, quickly, never thrown', () => {
  const good = encodeEnvelope(makeEnvelope(defaultScenario(), 50));

  it('any string at all gives a result, never an exception', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (s) => {
        decodeLink(s);
        decodeLink(`z:${s}`);
      }),
      { numRuns: runs(500) },
    );
  });

  it('truncated links', () => {
    for (const cut of [5, 20, good.length / 2, good.length - 3]) {
      const d = decodeLink(good.slice(0, Math.floor(cut)));
      expect(d.ok).toBe(false);
      if (!d.ok) expect(['base64', 'inflate', 'utf8', 'json', 'link']).toContain(d.error.stage);
    }
  });

  it('corrupted compression', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (pos, x) => {
        const bytes = fromBase64Url(good.slice(2))!;
        const i = pos % bytes.length;
        bytes[i] = bytes[i]! ^ x;
        const d = decodeLink(`${CODEC}:${toBase64Url(bytes)}`);
        // A flipped byte is caught by some stage, or (rarely) still decodes to a valid scenario.
        if (!d.ok) expect(d.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: runs(200) },
    );
  });

  it('a decompression bomb stops at the cap', () => {
    const bomb = deflateSync(new Uint8Array(50_000_000), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const r = inflateCapped(bomb, MAX_INFLATED_BYTES);
    expect(r).toBe('too-big');
    const d = decodeLink(`${CODEC}:${toBase64Url(bomb)}`);
    expect(d).toMatchObject({ ok: false, error: { stage: 'inflate' } });
  });

  it('invalid JSON, wrong shapes, hostile numbers and absurd sizes', () => {
    const env = JSON.parse(JSON.stringify(makeEnvelope(defaultScenario(), 10))) as Record<string, unknown>;
    const scen = env['scenario'] as Record<string, unknown>;
    const cases: [string, string][] = [
      ['{"v":1,', 'json'],
      ['[]', 'schema'],
      ['"hello"', 'schema'],
      [JSON.stringify({ ...env, v: 99 }), 'migrate'],
      [JSON.stringify({ ...env, tick: 1e12 }), 'schema'],
      [JSON.stringify({ ...env, extra: true }), 'schema'],
      [JSON.stringify({ ...env, hash: 'abc' }), 'schema'],
      [JSON.stringify({ ...env, scenario: { ...scen, seed: 2 ** 60 } }), 'schema'],
      [JSON.stringify({ ...env, scenario: { ...scen, duration: 1e12 } }), 'schema'],
      [JSON.stringify({ ...env, scenario: { ...scen, seed: -0.5 } }), 'schema'],
      [JSON.stringify(env).replace('"seed":42', '"seed":1e400'), 'schema'],
      [
        JSON.stringify({
          ...env,
          scenario: {
            ...scen,
            agents: Array.from({ length: 300 }, (_, i) => ({
              id: `a${i}`,
              workload: { kind: 'idle' },
              timeout: 1,
              retryEvery: 0,
            })),
          },
        }),
        'schema',
      ],
      [
        JSON.stringify({ ...env, scenario: { ...scen, actions: [{ tick: 1, type: 'crash', node: 'ghost' }] } }),
        'semantic',
      ],
      [JSON.stringify({ ...env, tick: 601 }), 'semantic'],
      [JSON.stringify(env).replace('{"v":1', '{"__proto__":{"polluted":1},"v":1'), 'schema'],
      ['{"__proto__":{"polluted":1},"v":1}', 'schema'],
      [JSON.stringify({ ...env, constructor: { prototype: { polluted: 1 } } }), 'schema'],
    ];
    for (const [text, stage] of cases) {
      const d = decodeLink(pack(text));
      expect(d.ok, text.slice(0, 80)).toBe(false);
      if (!d.ok) expect(d.error.stage, text.slice(0, 80)).toBe(stage);
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    // A long scenario is no longer refused by its agents × ticks: its replay stops at the
    // engine's budget of events instead (ten idle agents over 1,000,000 ticks cost nothing).
    const long = {
      ...scen,
      duration: 1_000_000,
      agents: Array.from({ length: 10 }, (_, i) => ({
        id: `a${i}`,
        workload: { kind: 'idle' },
        timeout: 1,
        retryEvery: 0,
      })),
    };
    expect(decodeLink(pack(JSON.stringify({ ...env, scenario: long, tick: 5 }))).ok).toBe(true);
  });

  it('-0 and HTML in names are data, not a problem', () => {
    const s = { ...defaultScenario(), name: '<img src=x onerror=alert(1)><script>alert(1)</script>' };
    const text = JSON.stringify(makeEnvelope(s, 0)).replace('"tick":0', '"tick":-0');
    const d = decodeEnvelopeText(text);
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.envelope.scenario.name).toBe(s.name);
  });

  it('refuses an overlong link before decoding it', () => {
    // The 'link' stage comes before decompression: nothing of the 5 MB was inflated. (No
    // wall-clock bound here: machines are noisy; the bench times decoding.)
    const d = decodeLink(`z:${'A'.repeat(5_000_000)}`);
    expect(d).toMatchObject({ ok: false, error: { stage: 'link' } });
  });
});

describe('old links keep working', () => {
  // One golden link per released format version: it must still open and replay to the world
  // it recorded. A change that breaks this needs a migration (MIGRATIONS) or a new engine
  // version that the page reports as a mismatch, never a silent difference.
  it('format 1 (engine 1.0.0): the faults scenario at tick 420', () => {
    const d = decodeLink(golden.link);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.envelope.tick).toBe(golden.tick);
    expect(d.envelope.hash).toBe(golden.hash);
    expect(verifyReplay(d.envelope).mismatch).toBeNull();
  });
});
