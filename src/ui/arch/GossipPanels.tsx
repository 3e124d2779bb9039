import { countText } from '../../state/format';
import { useId, useMemo, useState } from 'react';
import { scaleLinear } from 'd3';
import type { GossipView, ReplicaRow, WriteCurve } from '../../state/arch/gossip';
import type { LabActions } from '../../state/store';
import type { GossipConfig } from '../../sim/architectures/gossip/config';
import { MAX_REPLICAS } from '../../sim/architectures/gossip/constants';
import { mergeDocs, vvCompare, type Order } from '../../sim/architectures/gossip/crdt';
import { refSync } from '../../sim/architectures/gossip/reference';
import { canonicalJson } from '../../sim/core/hash';
import { DISCARDED_DEFINITION, LOST_UPDATE_DEFINITION } from '../../sim/history/measures';
import './gossip.css';

const MODE_TEXT: Record<GossipConfig['mode'], string> = {
  reference: "Reference (the GossipNode's per-key counters)",
  lww: 'Last writer wins (Lamport clock, replica-id tiebreak)',
  'mv-register': 'Multi-value registers (version vectors, siblings)',
};

const ORDER_TEXT: Record<Order, (a: string, b: string) => string> = {
  equal: (a, b) => `${a} and ${b} have seen the same operations`,
  'a-dominates': (a, b) => `${a} has seen everything ${b} has, and more`,
  'b-dominates': (a, b) => `${b} has seen everything ${a} has, and more`,
  concurrent: (a, b) => `each of ${a} and ${b} has seen operations the other has not`,
};

// ------------------------------------------------------------------ the diagram

/** The gossip diagram, shown under the topology. */
export function GossipDiagram({ view }: { view: GossipView; actions: LabActions }) {
  return (
    <section className="gossip" aria-label="Gossip replicas">
      <Agreement view={view} />
      <Flaws view={view} />
      <Matrix view={view} />
      <PairCompare view={view} />
      <RemoteReads view={view} />
      <SpreadPlot view={view} />
      <RoundTable view={view} />
      {view.config.round === 'sequential' && (
        <p className="hint">
          Sequential rounds, as in the reference&apos;s loop: replicas take turns within a round and send what they hold
          now, so a replica that learned a write earlier in this round passes it on in the same round. News can travel
          several hops per round, which is why it spreads faster than the synchronous round of the literature (one hop
          per round).
          {Math.floor(view.config.period / Math.max(1, view.replicas.length)) < view.latency &&
            ` Here turns are ${Math.floor(view.config.period / Math.max(1, view.replicas.length))} tick(s) apart and a message takes ${view.latency}: news cannot catch a later turn of the same round. A period of at least ${view.replicas.length * view.latency} ticks shows it.`}
        </p>
      )}
    </section>
  );
}

function Agreement({ view }: { view: GossipView }) {
  const n = view.replicas.length;
  const text = view.converged
    ? `All ${n} replicas agree${view.convergedAt !== null ? ` (since tick ${view.convergedAt}` : ''}${view.roundsToConverge !== null ? `, ${view.roundsToConverge} rounds after the heal at tick ${view.healedAt}` : ''}${view.convergedAt !== null ? ')' : ''}.`
    : `Replicas disagree: ${view.groups.map((g) => `{${g.join(', ')}}`).join(' · ')}.`;
  return (
    <p className={`gossip-agree ${view.converged ? 'is-ok' : 'is-apart'}`} role="status" aria-label="Convergence">
      <strong>
        {view.converged ? '✓ Converged' : '≠ Not converged'}
        {view.converged && view.split ? ' · split: new writes will not cross' : ''}
      </strong>{' '}
      {text} Round {view.round}, every {view.config.period} ticks, {view.config.exchange}, fanout {view.config.fanout}.
      {view.config.period < view.latency &&
        ' The period is shorter than the link latency: rounds overlap and are not the synchronous rounds of the literature.'}
    </p>
  );
}

function Flaws({ view }: { view: GossipView }) {
  if (view.flaws.length === 0) return null;
  const ref = view.config.mode === 'reference';
  const tie = view.flaws.some((f) => f.kind === 'tie');
  const title = ref
    ? tie
      ? "The reference's flaw: tied counters never converge"
      : "The reference's flaw: a concurrent write was silently dropped"
    : 'Discarded writes (last writer wins)';
  return (
    <div className={`gossip-flaws ${ref ? 'is-flaw' : ''}`} role={ref ? 'alert' : 'note'} aria-label={title}>
      <h3>{title}</h3>
      <p className="hint">
        {ref
          ? `${view.flawCount} seen so far. The reference keeps one counter per key and lets the higher one win; that is not a version vector, so it cannot tell a later write from a concurrent one.`
          : `${view.discarded.atLeast ? 'At least ' : ''}${view.discarded.count} so far: ${DISCARDED_DEFINITION}. One of two concurrent writes wins by its stamp; the other is gone (a multi-value register would keep both). Not a lost update: ${LOST_UPDATE_DEFINITION}.`}
      </p>
      <ul>
        {view.flaws.map((f) => (
          <li key={`${f.tick}:${f.text}`}>
            <span className="gossip-tick">tick {f.tick}</span> {f.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Matrix({ view }: { view: GossipView }) {
  const ref = view.config.mode === 'reference';
  const max = new Map<string, number>();
  for (const c of view.columns)
    max.set(c, Math.max(0, ...view.replicas.map((r) => (ref ? (r.counters[c] ?? 0) : (r.vv[c] ?? 0)))));
  const caption = ref
    ? "The reference's per-key counters (it calls them a version vector; they are not one): a row per replica, a column per key."
    : 'Version vectors: a row per replica, a column per replica whose operations it counts. ▾ marks a count behind the most any replica has.';
  return (
    <div className="gossip-matrix-wrap">
      <table className="gossip-matrix">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Replica</th>
            {view.columns.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
            <th scope="col">Values</th>
          </tr>
        </thead>
        <tbody>
          {view.replicas.map((r) => (
            <tr key={r.id} className={r.crashed ? 'is-crashed' : ''}>
              <th scope="row">
                {r.id}
                {r.crashed ? ' (crashed)' : ''}
                {r.origin !== r.id ? <span className="hint"> as {r.origin}</span> : null}
              </th>
              {view.columns.map((c) => {
                const v = ref ? (r.counters[c] ?? 0) : (r.vv[c] ?? 0);
                const behind = v < (max.get(c) ?? 0);
                return (
                  // Keyed by value: a changed count is a new cell, and its CSS animation plays.
                  <td key={`${c}:${v}`} className={`gossip-cell ${behind ? 'is-behind' : ''}`}>
                    {v}
                    {behind ? ' ▾' : ''}
                  </td>
                );
              })}
              <td className="gossip-values">
                {Object.keys(r.values).length === 0
                  ? '∅'
                  : Object.entries(r.values)
                      .map(([k, v]) => `${k}=${v}`)
                      .join('  ')}
                {r.tombstones > 0
                  ? ` · ${r.tombstones} tombstone${r.tombstones === 1 ? '' : 's'}${r.gcWaiting ? ` (${r.gcWaiting})` : ''}`
                  : ''}
                {r.siblings > 0 ? ` · ${r.siblings} key${r.siblings === 1 ? '' : 's'} with siblings` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What reads of the two replicas would show after they merge. */
function mergePreview(view: GossipView, a: ReplicaRow, b: ReplicaRow): string[] | null {
  if (view.config.mode === 'reference') {
    if (!a.ref || !b.ref) return null;
    const r = refSync(a.ref, b.ref);
    const keys = [...new Set([...Object.keys(r.a), ...Object.keys(r.b)])].sort();
    const out = keys.map((k) => {
      const x = Object.hasOwn(r.a, k) ? canonicalJson(r.a[k]!.v) : '∅';
      const y = Object.hasOwn(r.b, k) ? canonicalJson(r.b[k]!.v) : '∅';
      return x === y ? `${k} = ${x}` : `${k}: ${a.id} keeps ${x}, ${b.id} keeps ${y} (tie: never converges)`;
    });
    return out;
  }
  if (!a.doc || !b.doc) return null;
  const m = mergeDocs(a.doc, b.doc);
  const keys = view.config.mode === 'lww' ? Object.keys(m.lww) : Object.keys(m.mv);
  return keys.sort().map((k) => {
    if (view.config.mode === 'lww') {
      const e = m.lww[k]!;
      return `${k} = ${e.v === null ? '∅ (deleted)' : canonicalJson(e.v)} (stamp ${e.ts.join('.')})`;
    }
    const s = m.mv[k]!.filter((x) => x.v !== null);
    return s.length > 1
      ? `${k} = siblings {${s.map((x) => canonicalJson(x.v)).join(' | ')}} until a write over them`
      : `${k} = ${s[0] ? canonicalJson(s[0].v) : '∅ (deleted)'}`;
  });
}

function PairCompare({ view }: { view: GossipView }) {
  const ids = view.replicas.map((r) => r.id);
  const [pa, setA] = useState<string>(ids[0] ?? '');
  const [pb, setB] = useState<string>(ids[1] ?? ids[0] ?? '');
  const idA = useId();
  const idB = useId();
  const a = view.replicas.find((r) => r.id === pa) ?? view.replicas[0];
  const b = view.replicas.find((r) => r.id === pb) ?? view.replicas[1] ?? view.replicas[0];
  const preview = useMemo(() => (a && b ? mergePreview(view, a, b) : null), [view, a, b]);
  if (!a || !b) return null;
  const order = vvCompare(a.vv, b.vv);
  return (
    <div className="gossip-pair">
      <h3>Compare two replicas</h3>
      <div className="gossip-row">
        <label htmlFor={idA}>Replica A</label>
        <select id={idA} value={a.id} onChange={(e) => setA(e.target.value)}>
          {ids.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
        <label htmlFor={idB}>Replica B</label>
        <select id={idB} value={b.id} onChange={(e) => setB(e.target.value)}>
          {ids.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
      </div>
      <p role="status" aria-label="Version vector order">
        <strong>
          {order === 'a-dominates'
            ? 'A dominates'
            : order === 'b-dominates'
              ? 'B dominates'
              : order === 'equal'
                ? 'Equal'
                : 'Concurrent'}
        </strong>
        {': '}
        {ORDER_TEXT[order](a.id, b.id)}.
      </p>
      {preview === null ? (
        <p className="hint">Too large to preview a merge here.</p>
      ) : (
        <div>
          <p className="hint">Merging them would give:</p>
          <ul className="gossip-preview" aria-label="Merge preview">
            {preview.length === 0 ? (
              <li>nothing (both empty)</li>
            ) : (
              preview.slice(0, 16).map((t) => <li key={t}>{t}</li>)
            )}
          </ul>
        </div>
      )}
    </div>
  );
}

function SpreadPlot({ view }: { view: GossipView }) {
  const [pick, setPick] = useState(0);
  const selId = useId();
  if (view.config.mode === 'reference') {
    return <p className="hint">The spread plot follows version vectors, which the reference mode does not have.</p>;
  }
  const curve: WriteCurve | undefined = view.curves[Math.min(pick, view.curves.length - 1)];
  if (!curve)
    return <p className="hint">No write yet: the plot follows the most recent writes as gossip carries them.</p>;
  const W = 360;
  const H = 160;
  const M = { l: 36, r: 12, t: 10, b: 30 };
  const rounds = Math.max(curve.holders.length - 1, 4);
  const x = scaleLinear()
    .domain([0, rounds])
    .range([M.l, W - M.r]);
  const y = scaleLinear()
    .domain([0, Math.max(1, view.replicas.length)])
    .range([H - M.b, M.t]);
  const line = (ys: number[]) =>
    ys
      .slice(0, rounds + 1)
      .map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`)
      .join('');
  const summary = `Replicas holding "${curve.label}" after each round: ${curve.holders.slice(0, 12).join(', ')}. Expected for random ${view.config.exchange} gossip: ${curve.theory
    .slice(0, Math.min(12, curve.holders.length))
    .map((v) => v.toFixed(1))
    .join(', ')}.`;
  return (
    <figure className="gossip-plot">
      <div className="gossip-row">
        <label htmlFor={selId}>Write to follow</label>
        <select
          id={selId}
          value={Math.min(pick, view.curves.length - 1)}
          onChange={(e) => setPick(Number(e.target.value))}
        >
          {view.curves.map((c, i) => (
            <option key={`${c.origin}:${c.counter}`} value={i}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {y.ticks(Math.min(4, view.replicas.length)).map((t) => (
          <g key={`y${t}`}>
            <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="gossip-grid" />
            <text x={M.l - 6} y={y(t) + 5} textAnchor="end" className="gossip-axis">
              {t}
            </text>
          </g>
        ))}
        {x.ticks(Math.min(8, rounds)).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - M.b + 18} textAnchor="middle" className="gossip-axis">
            {t}
          </text>
        ))}
        <path d={line(curve.theory)} className="gossip-theory" />
        <path d={line(curve.holders)} className="gossip-measured" />
        {curve.holders.slice(0, rounds + 1).map((v, i) => (
          <rect key={i} x={x(i) - 3} y={y(v) - 3} width={6} height={6} className="gossip-point" />
        ))}
      </svg>
      <figcaption className="hint">
        Replicas holding the write (squares, solid) per round against the expectation for random gossip (dashed). x:
        rounds since the write; y: replicas.
      </figcaption>
    </figure>
  );
}

function RemoteReads({ view }: { view: GossipView }) {
  if (view.remoteReads.length === 0) return null;
  return (
    <div className="gossip-remote" role="region" aria-label="Reads at another replica">
      <h3>Reads at another replica (may be stale)</h3>
      <ul>
        {view.remoteReads.map((r) => (
          <li key={r.id}>
            <span className="gossip-tick">tick {r.tick}</span> {r.agent} read {r.key} at {r.replica}: {r.value}.{' '}
            {r.note}.
          </li>
        ))}
      </ul>
    </div>
  );
}

function RoundTable({ view }: { view: GossipView }) {
  const rows = view.rounds.slice(-6);
  if (rows.length === 0) return null;
  return (
    <table className="gossip-rounds">
      <caption>Messages and bytes per round (requests and replies, all replicas)</caption>
      <thead>
        <tr>
          <th scope="col">Round</th>
          <th scope="col">Messages</th>
          <th scope="col">Bytes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.round}>
            <th scope="row">{r.round}</th>
            <td>{r.messages}</td>
            <td>{countText(r.bytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// ------------------------------------------------------------------ the controls

function nextReplicaId(ids: readonly string[]): string {
  let i = ids.length + 1;
  while (ids.includes(`r${i}`)) i++;
  return `r${i}`;
}

/** The gossip controls, in the Act panel. */
export function GossipControls({
  view,
  actions,
  disabled,
}: {
  view: GossipView;
  actions: LabActions;
  disabled: boolean;
}) {
  const c = view.config;
  const [problem, setProblem] = useState<string | null>(null);
  const [key, setKey] = useState('x');
  const [removeId, setRemoveId] = useState('');
  const [reader, setReader] = useState('');
  const [readAt, setReadAt] = useState('');
  const ids = useId();
  const configure = (next: GossipConfig, label: string) => {
    setProblem(null);
    if (!actions.act([{ type: 'configure', config: next }], label)) setProblem('The change was refused (see the log).');
  };
  const half = Math.ceil(c.replicas.length / 2);
  const left = c.replicas.slice(0, half);
  const right = c.replicas.slice(half);
  const agentOn = (side: readonly string[]) => view.agents.find((a) => side.includes(a.replica));
  const writeBothSides = () => {
    const a = agentOn(left);
    const b = agentOn(right);
    if (!a || !b || !key) {
      setProblem('Writing on both sides needs an agent attached to each half and a key.');
      return;
    }
    setProblem(null);
    actions.operate(a.id, 'set', { key, value: `left@${view.now}` });
    actions.operate(b.id, 'set', { key, value: `right@${view.now}` });
  };
  return (
    <fieldset className="gossip-controls" disabled={disabled}>
      <legend>Gossip</legend>
      <div className="gossip-row">
        <button type="button" onClick={() => actions.seekTo(view.nextRoundAt)}>
          Step round
        </button>
        <span className="hint">next round at tick {view.nextRoundAt}</span>
      </div>
      <div className="gossip-row">
        <label htmlFor={`${ids}-mode`}>Conflict resolution</label>
        <select
          id={`${ids}-mode`}
          value={c.mode}
          onChange={(e) => configure({ ...c, mode: e.target.value as GossipConfig['mode'] }, `Mode: ${e.target.value}`)}
        >
          {(Object.keys(MODE_TEXT) as GossipConfig['mode'][]).map((m) => (
            <option key={m} value={m}>
              {MODE_TEXT[m]}
            </option>
          ))}
        </select>
      </div>
      <p className="hint">Switching the mode starts every replica empty: the modes&apos; data do not translate.</p>
      <div className="gossip-row">
        <label htmlFor={`${ids}-ex`}>Exchange</label>
        <select
          id={`${ids}-ex`}
          value={c.exchange}
          onChange={(e) =>
            configure({ ...c, exchange: e.target.value as GossipConfig['exchange'] }, `Exchange: ${e.target.value}`)
          }
        >
          <option value="push">push</option>
          <option value="pull">pull</option>
          <option value="push-pull">push-pull</option>
        </select>
        <label htmlFor={`${ids}-round`}>Round</label>
        <select
          id={`${ids}-round`}
          value={c.round}
          onChange={(e) =>
            configure({ ...c, round: e.target.value as GossipConfig['round'] }, `Round: ${e.target.value}`)
          }
        >
          <option value="synchronous">synchronous (one hop per round)</option>
          <option value="sequential">sequential (the reference&apos;s loop)</option>
        </select>
      </div>
      <div className="gossip-row">
        <label htmlFor={`${ids}-fan`}>Fanout</label>
        <input
          id={`${ids}-fan`}
          type="number"
          min={1}
          max={Math.max(1, Math.min(8, c.replicas.length - 1))}
          value={c.fanout}
          onChange={(e) => {
            const f = Number(e.target.value);
            if (!Number.isInteger(f) || f < 1 || f > 8 || f >= Math.max(2, c.replicas.length))
              setProblem(`The fanout must be from 1 to ${Math.max(1, Math.min(8, c.replicas.length - 1))}.`);
            else configure({ ...c, fanout: f }, `Fanout ${f}`);
          }}
        />
        <label htmlFor={`${ids}-period`}>Period (ticks)</label>
        <input
          id={`${ids}-period`}
          type="number"
          min={view.latency}
          max={10_000}
          value={c.period}
          onChange={(e) => {
            const p = Number(e.target.value);
            if (!Number.isInteger(p) || p < view.latency || p > 10_000)
              setProblem(
                `The period must be a whole number of ticks from the link latency (${view.latency}) to 10,000.`,
              );
            else configure({ ...c, period: p }, `Period ${p}`);
          }}
        />
      </div>
      <div className="gossip-row">
        <button
          type="button"
          disabled={c.replicas.length >= MAX_REPLICAS}
          onClick={() => {
            const id = nextReplicaId(c.replicas);
            configure({ ...c, replicas: [...c.replicas, id] }, `Add replica ${id}`);
          }}
        >
          Add replica
        </button>
        <label htmlFor={`${ids}-rm`}>Replica to remove</label>
        <select
          id={`${ids}-rm`}
          value={removeId || c.replicas[c.replicas.length - 1]}
          onChange={(e) => setRemoveId(e.target.value)}
        >
          {c.replicas.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button
          type="button"
          disabled={c.replicas.length <= 1}
          onClick={() => {
            const id = removeId && c.replicas.includes(removeId) ? removeId : c.replicas[c.replicas.length - 1]!;
            const rest = c.replicas.filter((r) => r !== id);
            configure(
              { ...c, replicas: rest, fanout: Math.min(c.fanout, Math.max(1, rest.length - 1)) },
              `Remove replica ${id}`,
            );
          }}
        >
          Remove replica
        </button>
      </div>
      <div className="gossip-row">
        <button
          type="button"
          disabled={right.length === 0}
          onClick={() =>
            actions.act(
              [{ type: 'partition', groups: [left, right] }],
              `Split {${left.join(', ')}} | {${right.join(', ')}}`,
            )
          }
        >
          Split the cluster in two
        </button>
        <button type="button" onClick={() => actions.act([{ type: 'heal-all' }], 'Heal the split')}>
          Heal the split
        </button>
        <button
          type="button"
          disabled={view.agents.length === 0}
          onClick={() =>
            actions.act(
              view.agents.map((a) => ({
                type: 'set-workload' as const,
                agent: a.id,
                workload: { kind: 'idle' as const },
              })),
              "Stop the agents' writes",
            )
          }
        >
          Stop the agents&apos; writes
        </button>
      </div>
      <div className="gossip-row">
        <label htmlFor={`${ids}-key`}>Key to write on both sides (or read)</label>
        <input id={`${ids}-key`} value={key} maxLength={128} onChange={(e) => setKey(e.target.value)} />
        <button type="button" onClick={writeBothSides}>
          Write on both sides
        </button>
      </div>
      <div className="gossip-row">
        <label htmlFor={`${ids}-ra`}>Reader</label>
        <select id={`${ids}-ra`} value={reader || view.agents[0]?.id || ''} onChange={(e) => setReader(e.target.value)}>
          {view.agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id} (at {a.replica})
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-rr`}>Read at replica</label>
        <select id={`${ids}-rr`} value={readAt || c.replicas[0]} onChange={(e) => setReadAt(e.target.value)}>
          {c.replicas.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button
          type="button"
          disabled={view.agents.length === 0 || !key}
          onClick={() => {
            const a = reader || view.agents[0]?.id;
            if (a) actions.operate(a, 'get', { key, replica: readAt || c.replicas[0]! });
          }}
        >
          Read the key there
        </button>
      </div>
      <p className="hint">
        Halves: {`{${left.join(', ')}}`} and {`{${right.join(', ')}}`}. Agents read and write their own replica (always
        available); a read with another replica named may be stale.
      </p>
      {problem && (
        <p role="alert" className="gossip-problem">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
