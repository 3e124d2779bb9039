import { describe, expect, it } from 'vitest';
import { builtinComparison } from '../sim/compare/constants';
import { checkResults } from '../sim/compare/codec';
import { describeLinkCheck, NO_RESULTS } from './compareCheck';
import { describeMismatch } from './share';

const c = builtinComparison();
const h = (n: number): string => n.toString(16).padStart(64, 'a');
const recorded = Object.fromEntries(c.panels.map((p, i) => [p.id, h(i)]));
const replayed = (change: Record<string, string> = {}) =>
  c.panels.map((p, i) => ({ panel: p.id, hash: change[p.id] ?? h(i) }));

describe('the words of a comparison link check', () => {
  it('all the same: reproduced exactly', () => {
    expect(describeLinkCheck(c, checkResults(c, recorded, replayed()), '1.0.0', '1.0.0')).toEqual({
      kind: 'same',
      text: 'Reproduced exactly: all 6 panels end in the same state as when the link was made.',
    });
  });

  it('names each panel that differs, both short hashes and the engine, as the scenario notice does', () => {
    const w = describeLinkCheck(c, checkResults(c, recorded, replayed({ quorum: 'f'.repeat(64) })), '0.9.0', '1.0.0');
    expect(w.kind).toBe('differ');
    expect(w.text).toBe(
      'The replay does not match the link in 1 of 6 panels: Partitioned, N=3 R=W=2, read write-back (recorded aaaaaaaaaaaa, replayed here ffffffffffff). ' +
        'The other 5 panels end as recorded. It was made with engine 0.9.0; this is engine 1.0.0, which replays it differently. ' +
        "What you see is this engine's replay.",
    );
    // The engine sentence is the scenario notice's own.
    const scenario = describeMismatch({ recorded: h(0), replayed: h(1), recordedEngine: '0.9.0' }, '1.0.0');
    expect(scenario).toContain('It was made with engine 0.9.0; this is engine 1.0.0, which replays it differently.');
    const same = describeLinkCheck(
      c,
      checkResults(c, recorded, replayed({ centralized: h(9), quorum: h(9) })),
      '1.0.0',
      '1.0.0',
    );
    expect(same.text).toMatch(
      /in 2 of 6 panels: Centralized store \(.*\) and Partitioned, N=3 R=W=2, read write-back \(.*\)\. The other 4 panels .* same engine version \(1\.0\.0\), so this should not happen; please report it\./,
    );
  });

  it('three or more panels that differ are listed apart, though labels hold commas', () => {
    const w = describeLinkCheck(
      c,
      checkResults(c, recorded, replayed({ centralized: h(9), 'gossip-lww': h(9), 'gossip-reference': h(9) })),
      '1.0.0',
      '1.0.0',
    );
    expect(w.kind === 'differ' && w.differ.map((d) => d.label)).toEqual([
      'Centralized store',
      'Gossip, LWW map',
      "Gossip, the reference's counters",
    ]);
    expect(w.text).toMatch(
      /3 of 6 panels: Centralized store \([^)]*\); Gossip, LWW map \([^)]*\); and Gossip, the reference's counters \(/,
    );
  });

  it('partial results say which panels were not checked; none at all say so', () => {
    const some = Object.fromEntries(Object.entries(recorded).slice(0, 5));
    expect(describeLinkCheck(c, checkResults(c, some, replayed()), '1.0.0').text).toBe(
      "Reproduced exactly: the 5 panels the link has results for end in the same state as when the link was made. Gossip, the reference's counters has no result in the link to check.",
    );
    expect(describeLinkCheck(c, checkResults(c, {}, replayed()), '1.0.0')).toEqual({ kind: 'none', text: NO_RESULTS });
  });
});
