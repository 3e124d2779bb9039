import { Toggle } from '../Toggle';
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { JsonValue, World } from '../../sim/index';
import type { EventSourcingConfig } from '../../sim/architectures/event-sourcing/config';
import { EVENT_TYPES, LOG, MAX_PROJECTIONS } from '../../sim/architectures/event-sourcing/constants';
import {
  buildEventSourcingAsOf,
  type EsAsOfView,
  type EsCell,
  type EsProjectionView,
  type EventSourcingView,
} from '../../state/arch/eventSourcing';
import type { LabActions } from '../../state/store';
import { parseValueInput } from '../../state/format';
import { useLab } from '../context';
import './eventSourcing.css';

const CELL_W = 76;
const CELL_H = 66;
const TOP = 30;
const CURSOR_ROW = 26;

const TYPE_TEXT: Record<string, string> = {
  key_set: 'set',
  key_deleted: 'delete',
  counter_incremented: 'count',
  update_position: 'position',
  change_status: 'status',
};

function cellLabel(c: EsCell): string {
  const batch = c.batchFirst !== c.commit ? `, batch ${c.batchFirst}–${c.commit}` : '';
  const old = c.schema < c.current ? `, written as schema v${c.schema}` : '';
  const comp = c.compensates !== null ? `, compensating: rolls ${c.key} back to version ${c.compensates}` : '';
  return `version ${c.version}: ${c.type} ${c.key} ${c.summary} by ${c.agent} at tick ${c.tick}${batch}${old}${comp}`;
}

/** The tape: event cells, batches, snapshot flags, each projection's cursor, the slider's version. */
function Tape({ asOf, view }: { asOf: EsAsOfView; view: EventSourcingView }) {
  const ids = useId();
  const { cells, windowStart } = asOf;
  const lanes = view.projections.length;
  // Room after the last cell for the longest cursor label ("proj2 v5 · caught up"), about 8 px a character.
  const labelRoom = Math.max(90, ...view.projections.map((p) => 24 + 8 * `${p.id} v${p.version} · ${p.behind}`.length));
  const width = Math.max(1, cells.length) * CELL_W + labelRoom;
  const height = TOP + CELL_H + 20 + lanes * CURSOR_ROW + 6;
  const x = (version: number): number => 8 + (version - windowStart) * CELL_W;
  const snaps = new Set(asOf.snapshots);
  const first = windowStart + 1;
  const last = windowStart + cells.length;
  // Keep the slider's version (the head, when following it) in view as the tape grows.
  const scroller = useRef<HTMLDivElement>(null);
  const target = x(asOf.version);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (target < el.scrollLeft + 40 || target > el.scrollLeft + el.clientWidth - 120)
      el.scrollLeft = Math.max(0, target - el.clientWidth + 160);
  }, [target]);
  const summary =
    cells.length === 0
      ? 'The log is empty.'
      : `Versions ${first} to ${last} of ${view.head}. ` +
        view.projections.map((p) => `${p.id} at version ${p.version}, ${p.behind}`).join('; ') +
        (asOf.snapshots.length > 0 ? `. Snapshots at ${asOf.snapshots.slice(-6).join(', ')}` : '') +
        `. Showing the state as of version ${asOf.version}.`;
  return (
    <div
      className="es-tape-scroll"
      ref={scroller}
      tabIndex={0}
      role="region"
      aria-label="Event log tape (scrolls sideways)"
    >
      <svg width={width} height={height} role="img" aria-labelledby={`${ids}-t ${ids}-d`} className="es-tape">
        <title id={`${ids}-t`}>Event log tape</title>
        <desc id={`${ids}-d`}>{summary}</desc>
        {cells.map((c) => {
          const cx = x(c.version - 1);
          const future = c.version > asOf.version;
          return (
            <g key={c.version} className={`es-cell${future ? ' es-future' : ''}`}>
              <title>{cellLabel(c)}</title>
              <rect x={cx} y={TOP} width={CELL_W - 4} height={CELL_H} rx={4} />
              <text x={cx + 6} y={TOP + 17} className="es-cell-v">
                v{c.version}
                {c.schema < c.current ? ` ·s${c.schema}` : ''}
              </text>
              <text x={cx + 6} y={TOP + 35}>
                {TYPE_TEXT[c.type] ?? c.type}
                {/* A compensating event (a rollback): its title says which version it restores. */}
                {c.compensates !== null ? ' ↺' : ''}
              </text>
              <text x={cx + 6} y={TOP + 53} className="es-cell-agent">
                {c.agent.replace(/^agent/, 'a')}
              </text>
              {c.batchFirst !== c.commit && (
                <line
                  x1={cx + (c.version === c.batchFirst ? 4 : -4)}
                  x2={cx + CELL_W - (c.version === c.commit ? 8 : 0)}
                  y1={TOP + CELL_H + 6}
                  y2={TOP + CELL_H + 6}
                  className="es-batch"
                />
              )}
              {snaps.has(c.version) && (
                <g className="es-snap">
                  <path d={`M${cx + CELL_W - 6} ${TOP - 2} v-22 l-14 6 l14 6`} />
                  <text x={cx + CELL_W - 46} y={TOP - 10}>
                    snap
                  </text>
                </g>
              )}
            </g>
          );
        })}
        {cells.length > 0 && asOf.version >= windowStart && (
          <line
            x1={x(asOf.version) - 2}
            x2={x(asOf.version) - 2}
            y1={TOP - 6}
            y2={TOP + CELL_H + 10}
            className="es-asof"
          />
        )}
        {view.projections.map((p, i) => {
          const y = TOP + CELL_H + 20 + i * CURSOR_ROW;
          const off = p.version < windowStart;
          const px = off ? 8 : x(p.version) - 2;
          return (
            // Moved by a transform, so the cursor slides along the tape as the projection replays.
            <g
              key={p.id}
              className={`es-cursor${p.lagEvents > 0 ? ' es-behind' : ''}`}
              style={{ transform: `translate(${px}px, ${y}px)` }}
            >
              <path d="M0 -10 l-6 10 h12 z" />
              <text x={10} y={4}>
                {off ? '← ' : ''}
                {p.id} v{p.version}
                {` · ${p.behind}`}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

function ProjectionRows({ projections }: { projections: EsProjectionView[] }) {
  return (
    <table className="grid es-table">
      <caption className="sr-only">Projections and their lag</caption>
      <thead>
        <tr>
          <th scope="col">Projection</th>
          <th scope="col" className="num">
            Version
          </th>
          <th scope="col" className="num">
            Behind (events)
          </th>
          <th scope="col" className="num">
            Behind (ticks)
          </th>
          <th scope="col">Why</th>
          <th scope="col">Link to log</th>
          <th scope="col" className="num">
            Events applied
          </th>
        </tr>
      </thead>
      <tbody>
        {projections.map((p) => (
          <tr key={p.id} aria-label={`${p.id}: version ${p.version}, ${p.lagEvents} events behind (${p.behindReason})`}>
            <th scope="row">
              {p.id}
              {p.types.length > 0 ? ` (${p.types.join(', ')})` : ''}
              {p.crashed ? ' — crashed' : ''}
            </th>
            <td className="num">{p.version}</td>
            <td className="num">{p.lagEvents}</td>
            <td className="num">{p.lagTicks}</td>
            <td>{p.behindReason}</td>
            <td>{p.cut ? 'cut' : 'up'}</td>
            <td className="num">
              {p.eventsApplied}
              {p.rebuilds > 0 ? ` (${p.rebuilds} rebuilds)` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The event-sourcing diagram, shown under the topology. */
export function EventSourcingDiagram({ view, actions }: { view: EventSourcingView; actions: LabActions }) {
  const ids = useId();
  const timeline = useLab((s) => s.timeline);
  // A version picked on the slider, with the tape and state computed for it. The log's prefix
  // never changes, so it stays right while the run goes on (until the scenario changes or the
  // cursor goes back before it).
  const [picked, setPicked] = useState<{ asOf: EsAsOfView; timeline: unknown } | null>(null);
  const pick = (v: number): void => {
    if (v >= view.head) return setPicked(null);
    // The cursor's world, read at once. `current` may be ahead of the cursor while the
    // timeline computes its busy ticks; then take a copy at the cursor.
    const w = timeline.current.now === view.tick ? (timeline.current as World) : timeline.worldAt(view.tick);
    const asOf = buildEventSourcingAsOf(w, v);
    setPicked(asOf ? { asOf, timeline } : null);
  };
  const valid = picked !== null && picked.timeline === timeline && picked.asOf.version < view.head;
  const asOf = valid ? picked.asOf : view.latest;
  if (!asOf) return null;
  const how =
    asOf.from > 0
      ? `from the snapshot at version ${asOf.from} plus ${asOf.eventsApplied} events`
      : `from scratch: ${asOf.eventsApplied} events applied`;
  return (
    <section className="es-diagram" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>Event log</h2>
      <p className="es-summary">
        Log at version <span className="num">{view.head}</span>
        {view.logCrashed ? ' (crashed)' : ''} · {view.log.appends} appends, {view.log.rejected} rejected by expected
        version · view:{' '}
        {view.config.view === 'rebuild'
          ? 'rebuild from scratch (the reference)'
          : `snapshot every ${view.config.snapshotEvery} events`}{' '}
        · {view.config.delivery}
        {view.config.readYourWrites ? ' · read-your-writes' : ''}
      </p>
      <Tape asOf={asOf} view={view} />
      <p className="hint">
        Showing versions{' '}
        {asOf.cells.length ? `${asOf.windowStart + 1}–${asOf.windowStart + asOf.cells.length}` : 'none'} of {view.head}{' '}
        (at most 40 at once). A bar under cells joins an atomic batch; “s1” marks an event written with an old schema.
      </p>
      <div className="es-slider">
        <label htmlFor={`${ids}-v`}>State as of version</label>
        <input
          id={`${ids}-v`}
          type="range"
          min={0}
          max={view.head}
          step={1}
          value={asOf.version}
          aria-valuetext={`version ${asOf.version} of ${view.head}`}
          onChange={(e) => pick(Number(e.target.value))}
        />
        <output htmlFor={`${ids}-v`} className="num">
          {asOf.version}
        </output>
        <button type="button" onClick={() => setPicked(null)} disabled={!valid}>
          Latest
        </button>
      </div>
      <table className="grid es-table es-state">
        <caption>
          State as of version {asOf.version}
          {asOf.tick !== null ? ` (tick ${asOf.tick})` : ''}, {how}
          {asOf.stateKeys > asOf.state.length ? `; first ${asOf.state.length} of ${asOf.stateKeys} keys` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col" className="num">
              Written at version
            </th>
          </tr>
        </thead>
        <tbody>
          {asOf.state.length === 0 ? (
            <tr>
              <td colSpan={3}>No keys yet.</td>
            </tr>
          ) : (
            asOf.state.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.key}</th>
                <td>{r.value}</td>
                <td className="num">{r.version}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <h3>Projections</h3>
      <ProjectionRows projections={view.projections} />
      <h3>Stale reads</h3>
      <p role="status" className="es-stale-count">
        {view.staleCount === 0 ? 'No stale reads' : `${view.staleCount} stale read${view.staleCount === 1 ? '' : 's'}`}{' '}
        in the last {view.readsScanned} reads.
      </p>
      {view.staleReads.length > 0 && (
        <ul className="es-stale">
          {view.staleReads.map((r) => (
            <li key={r.opId}>
              Stale read: {r.agent} read {r.key} = {r.value} from {r.projection} at version {r.projectionVersion}; the
              log was at version {r.logVersion} (tick {r.tick}).
            </li>
          ))}
        </ul>
      )}
      <h3>Audit trail</h3>
      {view.keys.length === 0 ? (
        <p className="hint">No key has changed yet.</p>
      ) : (
        <>
          {/* One trail, Inspect's: it has every architecture's entries, old → new, and rollback. */}
          <p className="hint">Who changed a key, event by event, opens in Inspect:</p>
          <ul className="es-keys" aria-label="Keys in the log: each opens its audit trail in Inspect">
            {view.keys.map((k) => (
              <li key={k}>
                <button
                  type="button"
                  className="linklike"
                  aria-label={`${k}: audit trail`}
                  onClick={() => actions.select({ kind: 'key', key: k })}
                >
                  {k}
                </button>
              </li>
            ))}
          </ul>
          {view.keyCount > view.keys.length && (
            <p className="hint">
              The first {view.keys.length} of {view.keyCount} keys; Inspect lists every key changed so far.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function eventData(
  type: string,
  key: string,
  value: string,
  legacy: boolean,
): { data: { [k: string]: JsonValue }; schema: number } | string {
  switch (type) {
    case 'key_set':
      return { data: { key, value: parseValueInput(value) }, schema: 1 };
    case 'key_deleted':
      return { data: { key }, schema: 1 };
    case 'counter_incremented': {
      const by = value.trim() === '' ? 1 : Number(value);
      return Number.isSafeInteger(by)
        ? { data: { key, by }, schema: 1 }
        : 'For a counter, the value is a whole number to add.';
    }
    case 'update_position': {
      const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
      if (!m) return 'For a position, the value is x, y (for example 3, 4).';
      const x = Number(m[1]);
      const y = Number(m[2]);
      return legacy ? { data: { x, y }, schema: 1 } : { data: { key, x, y }, schema: 2 };
    }
    case 'change_status':
      return legacy ? { data: { status: value }, schema: 1 } : { data: { key, status: value }, schema: 2 };
    default:
      return 'Pick an event type.';
  }
}

/** The event-sourcing controls, in the Act panel. */
export function EventSourcingControls({
  view,
  actions,
  disabled,
}: {
  view: EventSourcingView;
  actions: LabActions;
  disabled: boolean;
}) {
  const ids = useId();
  const acting = useLab((s) => s.actingAgent);
  const agent = acting && view.agents.includes(acting) ? acting : (view.agents[0] ?? null);
  const [type, setType] = useState<string>('key_set');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [expected, setExpected] = useState('');
  const [legacy, setLegacy] = useState(false);
  const [readFrom, setReadFrom] = useState('');
  const [readKey, setReadKey] = useState('');
  const [waitOwn, setWaitOwn] = useState(false);
  const [subscribe, setSubscribe] = useState('');
  const [error, setError] = useState<string | null>(null);
  const config = view.config;
  const targets = [...view.projections.map((p) => p.id), LOG];
  const from = targets.includes(readFrom)
    ? readFrom
    : targets.includes(config.defaultProjection)
      ? config.defaultProjection
      : LOG;
  const keyNeeded = !(legacy && (type === 'update_position' || type === 'change_status'));

  function configure(next: EventSourcingConfig, label: string): void {
    actions.act([{ type: 'configure', config: next }], label);
  }

  function append(e: FormEvent): void {
    e.preventDefault();
    setError(null);
    if (!agent) return setError('Spawn an agent first.');
    if (keyNeeded && key.trim() === '') return setError('Type the event’s key first.');
    const d = eventData(type, key, value, legacy);
    if (typeof d === 'string') return setError(d);
    const args: { [k: string]: JsonValue } = { type, data: d.data, schema: d.schema };
    if (expected.trim() !== '') {
      const ev = Number(expected);
      if (!Number.isSafeInteger(ev) || ev < 0) return setError('The expected version is a whole number ≥ 0, or empty.');
      args['expectedVersion'] = ev;
    }
    actions.operate(agent, 'append', args);
  }

  function read(e: FormEvent): void {
    e.preventDefault();
    setError(null);
    if (!agent) return setError('Spawn an agent first.');
    if (readKey.trim() === '') return setError('Type the key to read first.');
    const args: { [k: string]: JsonValue } = { key: readKey, projection: from };
    if (waitOwn) args['minVersion'] = view.lastAppend.find((a) => a.agent === agent)?.version ?? 0;
    actions.operate(agent, 'get', args);
  }

  function addProjection(): void {
    const taken = new Set(config.projections.map((p) => p.id));
    let n = config.projections.length + 1;
    while (taken.has(`proj${n}`)) n++;
    const types = EVENT_TYPES.filter((t) => t === subscribe);
    configure(
      { ...config, projections: [...config.projections, { id: `proj${n}`, types }] },
      `Added projection proj${n}${types.length ? ` (${types.join(', ')} only)` : ''}`,
    );
  }

  function removeProjection(id: string): void {
    const projections = config.projections.filter((p) => p.id !== id);
    configure(
      {
        ...config,
        projections,
        defaultProjection: config.defaultProjection === id ? (projections[0]?.id ?? LOG) : config.defaultProjection,
      },
      `Removed projection ${id}`,
    );
  }

  function setCut(id: string, cut: boolean): void {
    const type = cut ? 'cut-link' : 'heal-link';
    actions.act(
      [
        { type, from: LOG, to: id },
        { type, from: id, to: LOG },
      ],
      `${cut ? 'Cut' : 'Healed'} the link log – ${id}`,
    );
  }

  const last = config.projections[config.projections.length - 1];
  return (
    <div className="es-controls">
      <form className="op-form" onSubmit={append} aria-labelledby={`${ids}-ah`}>
        <h3 id={`${ids}-ah`}>Append an event{agent ? ` as ${agent}` : ''}</h3>
        <div className="field-row">
          <label htmlFor={`${ids}-type`}>Event type</label>
          <select id={`${ids}-type`} value={type} onChange={(e) => setType(e.target.value)}>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field-row">
          <label htmlFor={`${ids}-key`}>Event key</label>
          <input
            id={`${ids}-key`}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={128}
            disabled={!keyNeeded}
          />
        </div>
        <div className="field-row">
          <label htmlFor={`${ids}-val`}>Event value</label>
          <input
            id={`${ids}-val`}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${ids}-val-hint`}
          />
        </div>
        <p id={`${ids}-val-hint`} className="hint">
          set: any JSON or text; count: a number to add; position: x, y; status: text.
        </p>
        <div className="field-row">
          <label htmlFor={`${ids}-exp`}>Expected version (optional)</label>
          <input
            id={`${ids}-exp`}
            value={expected}
            onChange={(e) => setExpected(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            placeholder={`log is at ${view.head}`}
          />
        </div>
        {(type === 'update_position' || type === 'change_status') && (
          <div className="check-row">
            <input
              id={`${ids}-legacy`}
              type="checkbox"
              checked={legacy}
              onChange={(e) => setLegacy(e.target.checked)}
            />
            <label htmlFor={`${ids}-legacy`}>Write the old schema (v1, the reference’s global key)</label>
          </div>
        )}
        <div className="button-row">
          <button type="submit" disabled={disabled || !agent}>
            Append event
          </button>
        </div>
      </form>

      <form className="op-form" onSubmit={read} aria-labelledby={`${ids}-rh`}>
        <h3 id={`${ids}-rh`}>Read from a projection</h3>
        <div className="field-row">
          <label htmlFor={`${ids}-from`}>Read from</label>
          <select id={`${ids}-from`} value={from} onChange={(e) => setReadFrom(e.target.value)}>
            {targets.map((t) => (
              <option key={t} value={t}>
                {t === LOG ? 'log (always fresh)' : t}
              </option>
            ))}
          </select>
        </div>
        <div className="field-row">
          <label htmlFor={`${ids}-rkey`}>Key to read</label>
          <input
            id={`${ids}-rkey`}
            value={readKey}
            onChange={(e) => setReadKey(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={128}
          />
        </div>
        <div className="check-row">
          <input id={`${ids}-own`} type="checkbox" checked={waitOwn} onChange={(e) => setWaitOwn(e.target.checked)} />
          <label htmlFor={`${ids}-own`}>Wait until caught up with my own append</label>
        </div>
        <div className="button-row">
          <button type="submit" disabled={disabled || !agent}>
            Read from projection
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      <h3>Projections</h3>
      <ul className="es-proj-list">
        {view.projections.map((p) => (
          <li key={p.id}>
            <Toggle pressed={p.cut} onPress={() => setCut(p.id, !p.cut)} disabled={disabled}>
              {`Cut ${p.id}'s link to the log`}
            </Toggle>
          </li>
        ))}
      </ul>
      <div className="field-row">
        <label htmlFor={`${ids}-sub`}>New projection subscribes to</label>
        <select id={`${ids}-sub`} value={subscribe} onChange={(e) => setSubscribe(e.target.value)}>
          <option value="">every event type</option>
          {EVENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {t} only
            </option>
          ))}
        </select>
      </div>
      <div className="button-row">
        <button
          type="button"
          onClick={addProjection}
          disabled={disabled || config.projections.length >= MAX_PROJECTIONS}
        >
          Add a projection
        </button>
        {last && (
          <button type="button" onClick={() => removeProjection(last.id)} disabled={disabled}>
            Remove {last.id}
          </button>
        )}
      </div>
      <div className="field-row">
        <label htmlFor={`${ids}-mode`}>State view</label>
        <select
          id={`${ids}-mode`}
          value={config.view}
          disabled={disabled}
          onChange={(e) =>
            configure(
              { ...config, view: e.target.value === 'rebuild' ? 'rebuild' : 'snapshot' },
              `State view: ${e.target.value}`,
            )
          }
        >
          <option value="rebuild">Rebuild from scratch (the reference)</option>
          <option value="snapshot">Snapshot every {config.snapshotEvery} events</option>
        </select>
      </div>
      <div className="field-row">
        <label htmlFor={`${ids}-del`}>Delivery</label>
        <select
          id={`${ids}-del`}
          value={config.delivery}
          disabled={disabled}
          onChange={(e) =>
            configure(
              { ...config, delivery: e.target.value === 'push' ? 'push' : 'pull' },
              `Delivery: ${e.target.value}`,
            )
          }
        >
          <option value="pull">Projections pull every {config.pullEvery} ticks</option>
          <option value="push">The log pushes each append</option>
        </select>
      </div>
      <div className="check-row">
        <input
          id={`${ids}-ryw`}
          type="checkbox"
          checked={config.readYourWrites}
          disabled={disabled}
          onChange={(e) =>
            configure(
              { ...config, readYourWrites: e.target.checked },
              e.target.checked ? 'Read-your-writes on' : 'Read-your-writes off',
            )
          }
        />
        <label htmlFor={`${ids}-ryw`}>Every read waits for the reader’s own last append</label>
      </div>
    </div>
  );
}
