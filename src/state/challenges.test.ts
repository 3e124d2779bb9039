import { describe, expect, it } from 'vitest';
import { NO_PROGRESS, afterCheck, readProgress } from './challenges';

describe('challenge progress', () => {
  it('counts attempts and failures; a pass and within-par stay once made', () => {
    let p = afterCheck(NO_PROGRESS, 'fail', false, null);
    p = afterCheck(p, 'pass', false, 'receipt=z:a');
    p = afterCheck(p, 'fail', false, null);
    expect(p).toMatchObject({ attempts: 3, failed: 2, passed: true, withinPar: false, receipt: 'receipt=z:a' });
    expect(afterCheck(p, 'pass', true, 'receipt=z:b')).toMatchObject({ withinPar: true, receipt: 'receipt=z:b' });
  });

  it('reads back what it wrote, and drops what is not progress', () => {
    const p = afterCheck(NO_PROGRESS, 'pass', true, 'receipt=z:a');
    expect(readProgress(JSON.stringify({ 'stale-read': p }))).toEqual({ 'stale-read': p });
    expect(readProgress('not json')).toEqual({});
    expect(readProgress('[1,2]')).toEqual({});
    const hostile = readProgress(
      JSON.stringify({ __proto__: { x: 1 }, 'Bad Id': p, ok: { attempts: -3, passed: 'yes' } }),
    );
    expect(Object.keys(hostile)).toEqual(['ok']);
    expect(hostile['ok']).toMatchObject({ attempts: 0, passed: false });
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
});
