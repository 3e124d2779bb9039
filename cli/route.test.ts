import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { routeCommand } from './route';

function run(args: string[], input: string): string {
  let out = '';
  routeCommand(args, input, (t) => (out += t));
  return out;
}

describe('sim route', () => {
  it("prints key<TAB>shard index, the reference's int(md5(key), 16) % N", () => {
    const keys = ['agent1_position', 'agent2_position', 'agent3_position', '__proto__', 'é'];
    const lines = run(['--strategy', 'md5-mod', '--shards', '3'], keys.join('\n') + '\n')
      .trimEnd()
      .split('\n');
    expect(lines).toEqual(
      keys.map((k) => `${k}\t${Number(BigInt('0x' + createHash('md5').update(k, 'utf8').digest('hex')) % 3n)}`),
    );
  });

  it('--from/--to prints the fraction moved, beside the other strategies', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `key${i}`).join('\n');
    const r = JSON.parse(run(['--strategy', 'consistent', '--from', '4', '--to', '5'], keys)) as {
      moved: number;
      byStrategy: Record<string, number>;
    };
    expect(r.moved).toBeGreaterThan(0.1);
    expect(r.moved).toBeLessThan(0.3);
    expect(r.byStrategy['md5-mod']).toBeGreaterThan(0.6);
  });

  it('rejects a bad strategy or shard count with a message', () => {
    expect(() => run(['--strategy', 'nope'], 'a')).toThrow(/strategy/);
    expect(() => run(['--shards', '0'], 'a')).toThrow(/shards/);
  });
});
