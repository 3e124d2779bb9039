/** Why a projection is behind the log, most telling first. */
export type LagWhy = 'crashed' | 'log down' | 'cut' | 'pulling' | 'pushed';

export interface ProjectionLag {
  behind: number;
  why: LagWhy | null;
  /** Under its name in the diagram: "caught up", "6 behind · link cut". */
  short: string;
  /** Why, alone: "its link to the log is cut", or "caught up". */
  reason: string;
  /** In Inspect and the text version: "6 events: its link to the log is cut". */
  long: string;
}

const WHY_SHORT: Record<LagWhy, string> = {
  crashed: 'crashed',
  'log down': 'log down',
  cut: 'link cut',
  pulling: 'pulling',
  pushed: 'awaiting push',
};
const WHY_LONG: Record<LagWhy, string> = {
  crashed: 'it is crashed',
  'log down': 'the log is down',
  cut: 'its link to the log is cut',
  pulling: 'it is pulling them from the log',
  pushed: 'the log is pushing them',
};

/**
 * How far a projection is behind the log's version, and why. "Caught up" only when its
 * version equals the log's: what the projection last heard of the head can be far behind
 * the head itself (a cut link hears nothing), so it never decides this.
 */
export function projectionLag(p: {
  behind: number;
  crashed: boolean;
  logCrashed: boolean;
  cut: boolean;
  delivery: 'pull' | 'push';
}): ProjectionLag {
  if (p.behind === 0)
    return { behind: 0, why: null, short: 'caught up', reason: 'caught up', long: '0 events: caught up' };
  const why: LagWhy = p.crashed
    ? 'crashed'
    : p.logCrashed
      ? 'log down'
      : p.cut
        ? 'cut'
        : p.delivery === 'pull'
          ? 'pulling'
          : 'pushed';
  const events = `${p.behind} event${p.behind === 1 ? '' : 's'}`;
  return {
    behind: p.behind,
    why,
    short: `${p.behind} behind · ${WHY_SHORT[why]}`,
    reason: WHY_LONG[why],
    long: `${events}: ${WHY_LONG[why]}`,
  };
}
