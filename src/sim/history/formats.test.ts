import { describe, expect, it } from 'vitest';
import { checkHistoryText } from './check';
import { detectFormat, keysOf, parseHistory, parseJepsenEtcd, parsePorcupineKv, readStateLab } from './formats';
import { checkSequential } from './sequential';
import { rec } from './history.testkit';
import { UNKNOWN } from './model';

const ETCD = [
  'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 1\t:invoke\t:write\t4',
  'INFO  jepsen.util - 2\t:invoke\t:cas\t[4 0]',
  'INFO  jepsen.util - 0\t:ok\t:read\tnil',
  'INFO  jepsen.util - 1\t:info\t:write\t:timed-out',
  'INFO  jepsen.util - 2\t:fail\t:cas\t[4 0]',
  'INFO  jepsen.util - 3\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 3\t:fail\t:read\t:timed-out',
  'INFO  jepsen.util - :nemesis :info :start nil',
  'INFO  jepsen.util - 4\t:invoke\t:cas\t[1 2]',
].join('\n');

const KV = [
  '{:process 0, :type :invoke, :f :append, :key "1", :value "x 0 0 y"}',
  '{:process 1, :type :invoke, :f :get, :key "1", :value nil}',
  '{:process 0, :type :ok, :f :append, :key "1", :value "x 0 0 y"}',
  '{:process 1, :type :ok, :f :get, :key "1", :value ""}',
  '{:process 2, :type :invoke, :f :put, :key "2", :value "p"}',
].join('\n');

describe('format detection', () => {
  it('tells the three formats apart by content', () => {
    expect(detectFormat(ETCD)).toBe('jepsen-etcd');
    expect(detectFormat(KV)).toBe('porcupine-kv');
    expect(detectFormat(JSON.stringify({ ops: [] }))).toBe('statelab');
    expect(() => detectFormat('hello')).toThrow(/unrecognised history/);
    expect(() => detectFormat('{"nope": 1}')).toThrow(/ops/);
  });
});

describe('Jepsen etcd logs', () => {
  it('reads operations as the corpus README describes', () => {
    const p = parseJepsenEtcd(ETCD);
    expect(p.ops.map((o) => [o.id, o.agent, o.call, o.ret, o.input, o.output])).toEqual([
      [0, 'process 0', 1, 4, { f: 'read' }, { f: 'read', value: null }],
      // :info carries no completion: open to the end.
      [1, 'process 1', 2, Infinity, { f: 'write', value: '4' }, UNKNOWN],
      // :fail :cas is a completed cas that did not swap.
      [2, 'process 2', 3, 6, { f: 'cas', from: '4', to: '0' }, { f: 'cas', swapped: false }],
      // :fail :read :timed-out: completed, result unknown.
      [3, 'process 3', 7, 8, { f: 'read' }, UNKNOWN],
      [4, 'process 4', 10, Infinity, { f: 'cas', from: '1', to: '2' }, UNKNOWN],
    ]);
  });
});

describe('Porcupine kv logs', () => {
  it('reads get, put and append, keyed', () => {
    const p = parsePorcupineKv(KV);
    expect(p.ops.map((o) => [o.id, o.key, o.call, o.ret, o.input, o.output])).toEqual([
      [0, '1', 1, 3, { f: 'append', value: 'x 0 0 y' }, { f: 'append' }],
      [1, '1', 2, 4, { f: 'get' }, { f: 'get', value: '' }],
      [2, '2', 5, Infinity, { f: 'put', value: 'p' }, UNKNOWN],
    ]);
  });
});

describe('StateLab histories', () => {
  const h = {
    ops: [
      rec(1, 'a', 'set', { key: 'x', value: { n: 1, m: [2] } }, 0, 1, { version: 1 }),
      rec(2, 'a', 'update', { updates: { x: 2, y: 3 } }, 2, 3, { version: 2 }),
      rec(3, 'b', 'get_all', {}, 4, 5, { state: { x: 2, y: 3 }, version: 2 }),
      rec(4, 'b', 'delete', { key: 'y' }, 6, 7, { version: 3, existed: true }),
      rec(5, 'b', 'set', { key: 'x', value: 9 }, 8, 9, null, 'fail'),
      rec(6, 'c', 'set', { key: 'x', value: 8 }, 8, 20, null, 'info'),
      rec(7, 'c', 'get', { key: 'x' }, 21, null, null, null),
      rec(8, 'c', 'get_version', {}, 22, 23, { version: 3 }),
      rec(9, 'd', 'restore', { snapshot: JSON.stringify({ state: { x: 5 }, version: 1 }) }, 30, 31, { version: 4 }),
    ],
  };
  const p = readStateLab(h);

  it('splits updates and get_all by key, drops failed ops, leaves unknown ones open', () => {
    const view = p.ops.map((o) => [o.id, o.key, o.ret, o.input, o.output]);
    expect(view).toEqual([
      [1, 'x', 1, { f: 'write', value: '{"m":[2],"n":1}' }, { f: 'write' }],
      [2, 'x', 3, { f: 'write', value: '2' }, { f: 'write' }],
      [2, 'y', 3, { f: 'write', value: '3' }, { f: 'write' }],
      [3, 'x', 5, { f: 'read' }, { f: 'read', value: '2' }],
      [3, 'y', 5, { f: 'read' }, { f: 'read', value: '3' }],
      [4, 'y', 7, { f: 'delete' }, { f: 'delete', existed: true }],
      [6, 'x', Infinity, { f: 'write', value: '8' }, UNKNOWN],
      [9, 'x', 31, { f: 'write', value: '5' }, { f: 'write' }],
      [9, 'y', 31, { f: 'write', value: null }, { f: 'write' }],
    ]);
    expect(p.notes).toEqual([
      "1 get_version operation skipped: get_version does not read or write a key's current value",
    ]);
  });

  it('is safe with hostile keys', () => {
    const hostile = {
      ops: [
        rec(1, 'a', 'get_all', {}, 0, 1, { state: {}, version: 0 }),
        rec(2, 'a', 'set', { key: '__proto__', value: 1 }, 2, 3, { version: 1 }),
      ],
    };
    const ops = readStateLab(hostile).ops;
    expect(ops.find((o) => o.id === 1)?.output).toEqual({ f: 'read', value: null });
    expect(checkHistoryText(JSON.stringify(hostile)).linearizable).toBe(true);
  });

  it('goes through the full report', () => {
    const r = checkHistoryText(JSON.stringify(h));
    expect(r.format).toBe('statelab');
    expect(r.linearizable).toBe(true);
    expect(r.sessions?.sessions).toBe(3); // c has no completed read or write
    expect(r.sequentialConsistency?.consistent).toBe(true);
    expect(Object.keys(r.linearization ?? {})).toEqual(['x', 'y']);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('parses through the detector', () => {
    expect(parseHistory(JSON.stringify(h)).format).toBe('statelab');
    expect(() => parseHistory(JSON.stringify({ ops: [{ id: 'x' }] }))).toThrow(/ops\[0\]/);
  });
});

describe('rollback in a StateLab history', () => {
  const base = [
    rec(1, 'a', 'set', { key: 'x', value: 1 }, 0, 1, { version: 1 }),
    rec(2, 'a', 'set', { key: 'x', value: 2 }, 2, 3, { version: 2 }),
  ];

  it('is a write of the values the server restored (or the client named), by key', () => {
    const h = {
      ops: [
        ...base,
        rec(3, 'b', 'rollback', { key: 'x', version: 1 }, 4, 5, { version: 3, restored: { x: 1 }, to: 1 }),
        rec(4, 'b', 'rollback', { values: { y: 7 }, to: 0 }, 6, null, null, 'info'),
        rec(5, 'a', 'get', { key: 'x' }, 8, 9, { value: 1, version: 3 }),
      ],
    };
    const p = readStateLab(h);
    expect(p.ops.filter((o) => o.id >= 3).map((o) => [o.id, o.key, o.input, o.output])).toEqual([
      [3, 'x', { f: 'write', value: '1' }, { f: 'write' }],
      [4, 'y', { f: 'write', value: '7' }, UNKNOWN],
      [5, 'x', { f: 'read' }, { f: 'read', value: '1' }],
    ]);
    expect(keysOf(h.ops[2]!)).toEqual(['x']);
    expect(p.unsupported).toBeUndefined();
    expect(checkHistoryText(JSON.stringify(h)).linearizable).toBe(true);
    // The check can fail: a read of the value the rollback replaced, after it answered.
    const stale = { ops: [...h.ops.slice(0, 4), rec(5, 'a', 'get', { key: 'x' }, 8, 9, { value: 2, version: 2 })] };
    expect(checkHistoryText(JSON.stringify(stale)).linearizable).toBe(false);
  });

  it('a rollback to a version with an unknown outcome makes the verdict unknown, not a guess', () => {
    const h = {
      ops: [
        ...base,
        rec(3, 'b', 'rollback', { key: 'x', version: 1 }, 4, 20, null, 'info'),
        rec(4, 'a', 'get', { key: 'x' }, 30, 31, { value: 1, version: 3 }),
      ],
    };
    expect(readStateLab(h).unsupported).toMatch(/op 3 \(b\) rolls back/);
    expect(checkSequential(h).consistent).toBe('unknown');
  });
});
