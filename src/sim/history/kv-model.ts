import { fnv1a } from './hash';
import {
  ILLEGAL,
  UNKNOWN,
  type Illegal,
  type Model,
  type OpView,
  type StateDependence,
  type Unknown,
  type WriteKind,
} from './model';

/**
 * Porcupine's kv model for one key (the checker partitions by key): get returns the whole
 * string ("" if never written), put replaces it, append concatenates to it.
 */
export type KvInput =
  | { readonly f: 'get' }
  | { readonly f: 'put'; readonly value: string }
  | { readonly f: 'append'; readonly value: string };

export type KvOutput = { readonly f: 'get'; readonly value: string } | { readonly f: 'put' } | { readonly f: 'append' };

export interface KvState {
  readonly value: string;
  readonly hash: number;
}

export type KvOp = OpView<KvInput, KvOutput>;

export function kvModel(): Model<KvState, KvInput, KvOutput> {
  const empty: KvState = { value: '', hash: fnv1a('') };
  return {
    name: 'kv',
    init: () => empty,
    step(st: KvState, input: KvInput, output: KvOutput | Unknown): KvState | Illegal {
      switch (input.f) {
        case 'get':
          if (output === UNKNOWN) return st;
          // Length first: comparing a concatenated string forces V8 to flatten it.
          return output.f === 'get' && output.value.length === st.value.length && output.value === st.value
            ? st
            : ILLEGAL;
        case 'put':
          return { value: input.value, hash: fnv1a(input.value) };
        case 'append':
          // FNV-1a folds left to right, so the hash extends without rehashing the prefix.
          return { value: st.value + input.value, hash: fnv1a(input.value, st.hash) };
      }
    },
    equal: (a, b) => a === b || (a.hash === b.hash && a.value === b.value),
    resets: (op: KvOp) => op.input.f === 'put',
    // Without a put, the string only grows: it must already be a prefix of what a later get
    // returns.
    reachable(st: KvState, observer: KvOp, resetsLeft: boolean): boolean {
      const { input, output } = observer;
      if (resetsLeft || input.f !== 'get' || output === UNKNOWN || output.f !== 'get') return true;
      return output.value.startsWith(st.value);
    },
    hash: (s) => s.hash,
    writeKind: (op: KvOp): WriteKind => (op.input.f === 'get' ? 'none' : 'definite'),
    stateDependence: (op: KvOp): StateDependence =>
      op.input.f === 'append' ? 'effect' : op.input.f === 'get' && op.output !== UNKNOWN ? 'legality' : 'none',
    couldFeed(writer: KvOp | null, reader: KvOp): boolean {
      const { input, output } = reader;
      if (input.f !== 'get' || output === UNKNOWN || output.f !== 'get') return true;
      if (writer === null) return output.value === '';
      switch (writer.input.f) {
        case 'get':
          return true;
        case 'put':
          return output.value === writer.input.value;
        case 'append':
          return output.value.endsWith(writer.input.value);
      }
    },
    refineFeeds(ops: readonly KvOp[]): (writer: KvOp | null, reader: KvOp) => boolean {
      // An append only matters to a witness on the way to some get's string, so whatever
      // came right before it shows in that string just before its value. Record, from every
      // get, which writes are seen immediately before which appends ("" for the start).
      const seen: string[] = [];
      for (const op of ops)
        if (op.input.f === 'get' && op.output !== UNKNOWN && op.output.f === 'get') seen.push(op.output.value);
      const appended = [...new Set(ops.flatMap((op) => (op.input.f === 'append' ? [op.input.value] : [])))];
      const follows = new Set<string>(); // JSON [before, append value]; before: "" = start
      for (const s of seen) {
        const starts = new Map<number, string[]>();
        const ends = new Map<number, string[]>();
        for (const a of appended) {
          for (let at = s.indexOf(a); at !== -1; at = s.indexOf(a, at + 1)) {
            starts.set(at, [...(starts.get(at) ?? []), a]);
            ends.set(at + a.length, [...(ends.get(at + a.length) ?? []), a]);
            if (a.length === 0) break;
          }
        }
        for (const [at, as] of starts) {
          for (const a of as) {
            follows.add(JSON.stringify(['start', s.slice(0, at), a]));
            for (const b of ends.get(at) ?? []) follows.add(JSON.stringify(['append', b, a]));
          }
        }
      }
      return (writer, reader) => {
        if (!this.couldFeed(writer, reader)) return false;
        if (reader.input.f !== 'append') return true;
        const a = reader.input.value;
        if (writer === null) return follows.has(JSON.stringify(['start', '', a]));
        switch (writer.input.f) {
          case 'get':
            return true;
          case 'put':
            return follows.has(JSON.stringify(['start', writer.input.value, a]));
          case 'append':
            return follows.has(JSON.stringify(['append', writer.input.value, a]));
        }
      };
    },
    describeOp(op: KvOp): string {
      const { input, output } = op;
      switch (input.f) {
        case 'get':
          if (output === UNKNOWN || output.f !== 'get') return 'got an unknown result';
          return `got ${quote(output.value)}`;
        case 'put':
          return `put ${quote(input.value)}`;
        case 'append':
          return `appended ${quote(input.value)}`;
      }
    },
    describeWritten(writer: KvOp | null): string {
      if (writer === null) return quote('');
      switch (writer.input.f) {
        case 'get':
          return 'the same string';
        case 'put':
          return quote(writer.input.value);
        case 'append':
          return `a string ending in ${quote(writer.input.value)}`;
      }
    },
    describeNeeded(reader: KvOp): string {
      const { input, output } = reader;
      if (input.f === 'get' && output !== UNKNOWN && output.f === 'get') return quote(output.value);
      return 'anything';
    },
  };
}

function quote(s: string): string {
  return JSON.stringify(s);
}
