import { useId, useState } from 'react';
import { scaleLinear } from 'd3';
import type { PartitionedConfig } from '../../sim/architectures/partitioned/config';
import { MAX_SHARDS, withShardAdded, withShardRetired } from '../../sim/architectures/partitioned/constants';
import type { PartitionedView, ShardColumnView, ShardKeyView } from '../../state/arch/partitioned';
import { KEYS_SHOWN } from '../../state/arch/partitioned';
import type { LabActions } from '../../state/store';
import './partitioned.css';

const COL_W = 150;
const GAP = 18;
const TOP = 96;
const ROW = 20;
const COORD_H = 40;

const ROLE_MARK: Record<ShardKeyView['role'], string> = {
  owner: '●',
  replica: '○',
  incoming: '↓',
  leaving: '↑',
};

const ROLE_TEXT: Record<ShardKeyView['role'], string> = {
  owner: 'owner',
  replica: 'replica',
  incoming: 'copied in (handoff)',
  leaving: 'old copy, being dropped',
};

const STRATEGY_TEXT: Record<PartitionedConfig['strategy'], string> = {
  'md5-mod': 'md5 % N (the reference)',
  ranges: 'Key ranges (A-F, G-P, Q-Z)',
  consistent: 'Consistent hashing (virtual nodes)',
};

function shardStatus(s: ShardColumnView): string {
  const parts: string[] = [];
  if (s.crashed) parts.push('crashed');
  if (s.cut) parts.push('link cut');
  if (s.drain) parts.push(s.drain.entries === 0 && s.drain.placed === 0 ? 'retired, drained' : 'retired, draining');
  if (s.locked > 0) parts.push(`${s.locked} locked by 2PC`);
  return parts.join(', ');
}

function describe(view: PartitionedView): string {
  const cols = view.shards.map((s) => {
    const status = shardStatus(s);
    return `${s.id}${s.range ? ` (${s.range})` : ''}: ${s.total} key${s.total === 1 ? '' : 's'}, ${s.load} requests${status ? `, ${status}` : ''}`;
  });
  const handoff =
    view.handoffCount > 0
      ? ` ${view.handoffCount} key handoff step${view.handoffCount === 1 ? '' : 's'} in progress: ${view.handoffs.map((h) => `${h.key} ${h.from.join('+')} to ${h.to.join('+')} (${h.step === 'read' ? 'reading the old copy' : h.step === 'install' ? 'installing the new copy' : 'dropping the old copy'})`).join('; ')}.`
      : '';
  return `Coordinator${view.coordinatorCrashed ? ' (crashed)' : ''} routing by ${view.placement}. ${cols.join('. ')}.${handoff}`;
}

/** The shards as columns under the coordinator: keys, routing arrows, handoffs, load bars. */
export function PartitionedDiagram({ view }: { view: PartitionedView; actions: LabActions }) {
  const ids = useId();
  const n = view.shards.length;
  const width = Math.max(360, n * (COL_W + GAP) + GAP);
  const colX = (i: number): number => GAP + i * (COL_W + GAP);
  const index = new Map(view.shards.map((s, i) => [s.id, i]));
  const coordX = width / 2;
  const coordBottom = 8 + COORD_H;
  const keysH = (KEYS_SHOWN + 1) * ROW;
  const loadTop = TOP + 34 + keysH + 8;
  const height = loadTop + 46;
  const load = scaleLinear()
    .domain([0, view.maxLoad])
    .range([0, COL_W - 16]);
  const rb = view.rebalance;
  return (
    <section className="pt" aria-label="Partitioned state">
      <div className="pt-scroll" tabIndex={0} role="region" aria-label="Shards diagram (scrolls sideways)">
        <svg
          width={width}
          height={height}
          role="img"
          aria-labelledby={`${ids}-t`}
          aria-describedby={`${ids}-d`}
          className="pt-svg"
        >
          <title id={`${ids}-t`}>Shards behind the coordinator</title>
          <desc id={`${ids}-d`}>{describe(view)}</desc>
          <g className={`pt-coord${view.coordinatorCrashed ? ' is-crashed' : ''}`}>
            <rect x={coordX - 90} y={8} width={180} height={COORD_H} rx={6} />
            <text x={coordX} y={26} textAnchor="middle" className="pt-coord-name">
              coordinator{view.coordinatorCrashed ? ' ✕ crashed' : ''}
            </text>
            <text x={coordX} y={42} textAnchor="middle" className="pt-small">
              {view.config.strategy}
              {view.config.replication > 1
                ? ` · N${view.config.replication} R${view.config.readQuorum} W${view.config.writeQuorum}`
                : ''}
            </text>
          </g>
          {view.shards.map((s, i) => {
            const x = colX(i) + COL_W / 2;
            return (
              <line
                key={`l-${s.id}`}
                x1={coordX}
                y1={coordBottom}
                x2={x}
                y2={TOP}
                className={`pt-route${s.cut ? ' is-cut' : ''}`}
              />
            );
          })}
          {view.routes.map((r, n) => {
            const i = index.get(r.to);
            if (i === undefined) return null;
            const x2 = colX(i) + COL_W / 2;
            const p = r.back ? 1 - r.progress : r.progress;
            const x = coordX + (x2 - coordX) * p;
            const y = coordBottom + (TOP - coordBottom) * p;
            return (
              <g key={`m-${r.id}`} className={`pt-msg pt-msg-${r.kind}`}>
                <circle cx={x} cy={y} r={5} />
                {r.key !== null && !r.back && n < 8 && (
                  <text x={x + 7} y={y + 4 + (n % 3) * 15} className="pt-msg-label">
                    {r.kind} {r.key.length > 10 ? `${r.key.slice(0, 9)}…` : r.key}
                  </text>
                )}
              </g>
            );
          })}
          {view.shards.map((s, i) => (
            <ShardColumn key={s.id} shard={s} x={colX(i)} keysH={keysH} />
          ))}
          {view.handoffs.map((h, k) => {
            const from = index.get(h.from[0] ?? '');
            const to = index.get(h.to[0] ?? '');
            if (from === undefined || to === undefined || from === to) return null;
            const x1 = colX(from) + COL_W / 2;
            const x2 = colX(to) + COL_W / 2;
            const y = TOP + 34 + keysH - 8 - (k % 6) * 26;
            const mid = (x1 + x2) / 2;
            // The key itself rides the arc: at the old shard while it is read, halfway while the
            // copy is installed, at the new shard while the old copy is dropped.
            const t = h.step === 'read' ? 0.15 : h.step === 'install' ? 0.5 : 0.85;
            const kx = (1 - t) * (1 - t) * x1 + 2 * (1 - t) * t * mid + t * t * x2;
            const ky = (1 - t) * (1 - t) * y + 2 * (1 - t) * t * (y - 26) + t * t * y;
            return (
              <g key={`h-${h.key}|${h.from.join()}|${h.to.join()}`} className={`pt-handoff is-${h.phase}`}>
                <path d={`M ${x1} ${y} Q ${mid} ${y - 26} ${x2} ${y}`} markerEnd={`url(#${ids}-arrow)`} />
                <g className="pt-handoff-key" style={{ transform: `translate(${kx}px, ${ky}px)` }}>
                  <rect x={-5} y={-5} width={10} height={10} />
                </g>
                <text x={mid} y={y - 16} textAnchor="middle" className="pt-handoff-label">
                  {h.key.length > 12 ? `${h.key.slice(0, 11)}…` : h.key} (
                  {h.step === 'read' ? 'reading old copy' : h.step === 'install' ? 'installing' : 'dropping old copy'})
                </text>
              </g>
            );
          })}
          <defs>
            <marker
              id={`${ids}-arrow`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className="pt-arrowhead" />
            </marker>
          </defs>
          {view.shards.map((s, i) => (
            <g key={`load-${s.id}`} className="pt-load">
              <rect x={colX(i) + 8} y={loadTop + 18} width={COL_W - 16} height={12} className="pt-load-track" />
              <rect x={colX(i) + 8} y={loadTop + 18} width={load(s.load)} height={12} className="pt-load-bar" />
              <text x={colX(i) + 8} y={loadTop + 12} className="pt-small">
                load: {s.load} request{s.load === 1 ? '' : 's'}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <p className="pt-legend">
        ● owner · ○ replica · ↓ copied in during a handoff · ↑ old copy being dropped · [locked]: held by a prepared
        two-phase commit
      </p>
      {rb && (
        <p className="pt-rebalance" role="status" aria-label="Rebalancing">
          Tick {rb.at}: {rb.from} → {rb.to}. {rb.moving} of {rb.total} keys change replicas
          {rb.total > 0 ? ` (${Math.round((100 * rb.moving) / rb.total)}%)` : ''}; {rb.copied} handed off so far
          {rb.doneAt !== null ? `, done at tick ${rb.doneAt}` : ', in progress'}. The same change would move (primary
          owner): {rb.compare.map((c) => `${c.strategy} ${c.moved} of ${rb.total}`).join(', ')}.
        </p>
      )}
      {view.txns.length > 0 && (
        <ul className="pt-txns" aria-label="Two-phase commits in progress">
          {view.txns.map((t) => (
            <li key={t.id}>
              Transaction {t.id}:{' '}
              {t.decision === null
                ? `preparing, votes ${t.votes.length} of ${t.parts.length} (${t.parts.join(', ')})`
                : `${t.decision}, applied by ${t.acked.length} of ${t.parts.length}`}
            </li>
          ))}
        </ul>
      )}
      <p className="pt-check" role="status" aria-label="Stale reads">
        {view.checked.stale === 0
          ? 'No stale reads'
          : `${view.checked.stale} stale read${view.checked.stale === 1 ? '' : 's'} flagged`}{' '}
        in the last {view.checked.ops} operations
        {view.quorum === 'sloppy'
          ? ' (R + W ≤ N: reads may miss acknowledged writes)'
          : view.quorum === 'strict'
            ? ' (R + W > N)'
            : ''}
        .
        {view.unknownWrites > 0
          ? ` ${view.unknownWrites} write${view.unknownWrites === 1 ? '' : 's'} reached fewer than W replicas (outcome unknown).`
          : ''}
      </p>
      {view.checked.examples.length > 0 && (
        <ul className="pt-examples">
          {view.checked.examples.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      {view.events.length > 0 && (
        <details className="pt-events">
          <summary>Coordinator events (last {view.events.length})</summary>
          <ul>
            {view.events.map(([t, text], i) => (
              <li key={`${t}-${i}`}>
                tick {t}: {text}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function ShardColumn({ shard, x, keysH }: { shard: ShardColumnView; x: number; keysH: number }) {
  const status = shardStatus(shard);
  const cls = [
    'pt-shard',
    shard.crashed ? 'is-crashed' : '',
    shard.cut ? 'is-cut' : '',
    shard.retired ? 'is-retired' : '',
  ].join(' ');
  return (
    <g className={cls}>
      <rect x={x} y={TOP} width={COL_W} height={34 + keysH} rx={4} />
      <text x={x + 8} y={TOP + 16} className="pt-shard-name">
        {shard.id}
        {shard.range ? ` · ${shard.range}` : ''}
        {shard.crashed ? ' ✕' : ''}
      </text>
      <text x={x + 8} y={TOP + 30} className="pt-small">
        {status || `${shard.total} key${shard.total === 1 ? '' : 's'}`}
      </text>
      {shard.keys.map((k, j) => (
        <text key={k.key} x={x + 8} y={TOP + 34 + (j + 1) * ROW - 4} className={`pt-key is-${k.role}`}>
          <title>{`${k.key} = ${k.value} (version ${k.version}, ${ROLE_TEXT[k.role]}${k.locked ? ', locked' : ''})`}</title>
          {ROLE_MARK[k.role]} {k.key.length > 11 ? `${k.key.slice(0, 10)}…` : k.key}:{' '}
          {k.value.length > 8 ? `${k.value.slice(0, 7)}…` : k.value}
          {k.locked ? ' [locked]' : ''}
        </text>
      ))}
      {shard.total > shard.keys.length && (
        <text x={x + 8} y={TOP + 34 + (KEYS_SHOWN + 1) * ROW - 4} className="pt-small">
          showing {shard.keys.length} of {shard.total}
        </text>
      )}
    </g>
  );
}

/** Shard membership, placement, quorums and cross-shard modes: each a configure action. */
export function PartitionedControls({
  view,
  actions,
  disabled,
}: {
  view: PartitionedView;
  actions: LabActions;
  disabled: boolean;
}) {
  const ids = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const c = view.config;
  const configure = (next: PartitionedConfig, label: string): void => {
    setProblem(null);
    if (!actions.act([{ type: 'configure', config: next }], label)) setProblem('The change was refused (see the log).');
  };
  const canAdd = c.shards.length + c.retired.length < MAX_SHARDS;
  const canRemove = c.shards.length > Math.max(1, c.replication);
  const drained = view.shards
    .filter((s) => s.drain !== null && s.drain.entries === 0 && s.drain.placed === 0)
    .map((s) => s.id);
  const setQuorum = (n: number, r: number, w: number, label: string): void =>
    configure({ ...c, replication: n, readQuorum: Math.min(r, n), writeQuorum: Math.min(w, n) }, label);
  const maxN = Math.min(5, c.shards.length);
  const range = (k: number): number[] => Array.from({ length: k }, (_, i) => i + 1);
  return (
    <fieldset className="pt-controls" disabled={disabled}>
      <legend>Shards and placement</legend>
      <div className="pt-row">
        <button
          type="button"
          disabled={!canAdd}
          onClick={() => {
            const next = withShardAdded(c);
            configure(next, `Add ${next.shards[next.shards.length - 1]!}`);
          }}
        >
          Add shard
        </button>
        <button
          type="button"
          disabled={!canRemove}
          onClick={() => {
            const gone = c.shards[c.shards.length - 1]!;
            configure(withShardRetired(c, gone), `Remove ${gone}`);
          }}
        >
          Remove shard
        </button>
        {drained.length > 0 && (
          <button
            type="button"
            onClick={() =>
              configure(
                { ...c, retired: c.retired.filter((s) => !drained.includes(s)) },
                `Decommission ${drained.join(', ')}`,
              )
            }
          >
            Decommission drained ({drained.join(', ')})
          </button>
        )}
      </div>
      <div className="pt-grid">
        <label htmlFor={`${ids}-strategy`}>Placement strategy</label>
        <select
          id={`${ids}-strategy`}
          value={c.strategy}
          onChange={(e) =>
            configure(
              { ...c, strategy: e.target.value as PartitionedConfig['strategy'] },
              `Placement: ${e.target.value}`,
            )
          }
        >
          {(Object.keys(STRATEGY_TEXT) as PartitionedConfig['strategy'][]).map((s) => (
            <option key={s} value={s}>
              {STRATEGY_TEXT[s]}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-rebalance`}>Rebalancing</label>
        <select
          id={`${ids}-rebalance`}
          value={c.rebalance}
          onChange={(e) =>
            configure(
              { ...c, rebalance: e.target.value as PartitionedConfig['rebalance'] },
              `Rebalancing: ${e.target.value}`,
            )
          }
        >
          <option value="handoff">Hand keys off in steps</option>
          <option value="none">None (the reference: keys stranded)</option>
        </select>
        <label htmlFor={`${ids}-n`}>Replication factor N</label>
        <select
          id={`${ids}-n`}
          value={c.replication}
          onChange={(e) => setQuorum(Number(e.target.value), c.readQuorum, c.writeQuorum, `N = ${e.target.value}`)}
        >
          {range(Math.max(maxN, c.replication)).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-r`}>Read quorum R</label>
        <select
          id={`${ids}-r`}
          value={c.readQuorum}
          onChange={(e) => setQuorum(c.replication, Number(e.target.value), c.writeQuorum, `R = ${e.target.value}`)}
        >
          {range(c.replication).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-w`}>Write quorum W</label>
        <select
          id={`${ids}-w`}
          value={c.writeQuorum}
          onChange={(e) => setQuorum(c.replication, c.readQuorum, Number(e.target.value), `W = ${e.target.value}`)}
        >
          {range(c.replication).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-abd`}>Read write-back (ABD)</label>
        <input
          id={`${ids}-abd`}
          type="checkbox"
          checked={c.readWriteBack}
          onChange={(e) =>
            configure({ ...c, readWriteBack: e.target.checked }, `Read write-back ${e.target.checked ? 'on' : 'off'}`)
          }
        />
        <label htmlFor={`${ids}-cross`}>Cross-shard update</label>
        <select
          id={`${ids}-cross`}
          value={c.crossShard}
          onChange={(e) =>
            configure(
              { ...c, crossShard: e.target.value as PartitionedConfig['crossShard'] },
              `Cross-shard: ${e.target.value}`,
            )
          }
        >
          <option value="naive">Naive (independent writes)</option>
          <option value="2pc">Two-phase commit</option>
        </select>
        <label htmlFor={`${ids}-all`}>Read all when a shard is down</label>
        <select
          id={`${ids}-all`}
          value={c.getAll}
          onChange={(e) =>
            configure({ ...c, getAll: e.target.value as PartitionedConfig['getAll'] }, `get_all: ${e.target.value}`)
          }
        >
          <option value="partial">Return what it can, marked partial</option>
          <option value="fail">Fail</option>
        </select>
      </div>
      <p className="hint">
        {view.quorum === 'single'
          ? 'One copy of each key.'
          : view.quorum === 'strict'
            ? `R + W = ${c.readQuorum + c.writeQuorum} > N = ${c.replication}: reads meet the last acknowledged write${c.readWriteBack ? '; with write-back, linearizable' : ', but concurrent reads can disagree'}.`
            : `R + W = ${c.readQuorum + c.writeQuorum} ≤ N = ${c.replication}: reads can miss acknowledged writes (stale reads).`}
      </p>
      {problem && (
        <p role="alert" className="pt-problem">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
