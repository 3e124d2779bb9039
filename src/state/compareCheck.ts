import type { Comparison } from '../sim/compare/constants';
import type { PanelDiffers, ResultsCheck } from '../sim/compare/codec';
import { ENGINE_VERSION } from '../sim/version';
import { mismatchEngines, shortHash } from './share';

/**
 * The words for a comparison link's check (codec.ts `checkResults`): the link's per-panel
 * world hashes against this run's. A mismatch is said as the scenario's replay-mismatch
 * notice says it (share.ts: the same short hashes, the same sentence on engines), once per
 * panel that differs, naming it.
 */

export type LinkCheckWords =
  | { kind: 'same'; text: string }
  | { kind: 'differ'; text: string; differ: (PanelDiffers & { label: string })[] }
  | { kind: 'none'; text: string };

export const NO_RESULTS =
  'This link carries no results to check: what you see is computed here, not compared with what its maker saw.';

const labelOf = (c: Comparison, id: string): string => c.panels.find((p) => p.id === id)?.label ?? id;

/** Labels may hold commas ("Gossip, LWW map"): more than two are listed with semicolons. */
function names(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]!} and ${items[1]!}`;
  return `${items.slice(0, -1).join('; ')}; and ${items[items.length - 1]!}`;
}

const panels = (n: number): string => (n === 1 ? '1 panel' : `${n} panels`);

export function describeLinkCheck(
  c: Comparison,
  check: ResultsCheck,
  recordedEngine: string,
  engineNow: string = ENGINE_VERSION,
): LinkCheckWords {
  const unchecked = check.unchecked.map((id) => labelOf(c, id));
  const uncheckedText =
    unchecked.length === 0
      ? ''
      : ` ${names(unchecked)} ${unchecked.length === 1 ? 'has' : 'have'} no result in the link to check.`;
  if (check.differ.length > 0) {
    const differ = check.differ.map((d) => ({ ...d, label: labelOf(c, d.panel) }));
    const each = names(
      differ.map((d) => `${d.label} (recorded ${shortHash(d.recorded)}, replayed here ${shortHash(d.replayed)})`),
    );
    const others = check.same.length === 0 ? '' : ` The other ${panels(check.same.length)} end as recorded.`;
    return {
      kind: 'differ',
      differ,
      text:
        `The replay does not match the link in ${check.differ.length} of ${panels(c.panels.length)}: ${each}.${others}${uncheckedText} ` +
        `${mismatchEngines(recordedEngine, engineNow)} What you see is this engine's replay.`,
    };
  }
  if (check.same.length === 0) return { kind: 'none', text: NO_RESULTS };
  const which =
    check.same.length === c.panels.length
      ? c.panels.length === 1
        ? 'the panel ends'
        : `all ${panels(c.panels.length)} end`
      : `the ${panels(check.same.length)} the link has results for end`;
  return {
    kind: 'same',
    text: `Reproduced exactly: ${which} in the same state as when the link was made.${uncheckedText}`,
  };
}
