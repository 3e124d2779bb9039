import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { DiskEventView, DurabilityView } from '../state/durability';
import type { LabActions } from '../state/store';
import type { ServerView } from '../state/view';
import { useElementSize } from './context';
import './durability.css';

/**
 * Disks, backups and point-in-time recovery: the Act controls (write-ahead log, flushes,
 * backup schedule, a power cut, a lost disk, a restore, a drill) and the backup timeline in
 * Inspect. Loaded lazily: a class that never uses it never downloads it.
 */

interface ControlsProps {
  view: DurabilityView | null;
  servers: ServerView[];
  tick: number;
  actions: LabActions;
  disabled: boolean;
}

/** The tick a restore most likely wants: just before the last lost disk, else just before now. */
function suggestedTarget(view: DurabilityView | null, node: string, tick: number): number {
  const loss = [...(view?.events ?? [])].reverse().find((e) => e.kind === 'crash' && e.node === node && e.tick <= tick);
  return Math.max(0, (loss ? loss.tick : tick) - 1);
}

export function DurabilityControls({ view, servers, tick, actions, disabled }: ControlsProps) {
  const ids = useId();
  const [picked, setPicked] = useState('');
  const [flushEvery, setFlushEvery] = useState('');
  const [every, setEvery] = useState('');
  const [target, setTarget] = useState('');
  const [from, setFrom] = useState('');
  const node = servers.find((s) => s.id === picked) ?? servers[0];
  if (!node) return null;
  const disk = view?.servers.find((s) => s.id === node.id);
  const wal = disk?.wal ?? true;
  const flush = flushEvery === '' ? String(disk?.flushEvery ?? 10) : flushEvery;
  const backupEvery = every === '' ? String(disk?.backupEvery || 50) : every;
  const restoreTo = target === '' ? String(suggestedTarget(view, node.id, tick)) : target;
  const backups = (view?.backups ?? []).filter((b) => b.node === node.id && b.tick <= Number(restoreTo));
  const all = servers.length > 1 ? 'every server' : node.id;
  const int = (text: string, min: number): number | null => {
    const n = Number(text);
    return Number.isInteger(n) && n >= min ? n : null;
  };

  function schedule(e: FormEvent): void {
    e.preventDefault();
    const n = int(backupEvery, 0);
    if (n === null) return;
    actions.act(
      [{ type: 'schedule-backups', every: n }],
      n > 0 ? `Back up ${all} every ${n} ticks` : `Stopped backups of ${all}`,
    );
  }
  function restore(e: FormEvent): void {
    e.preventDefault();
    const t = int(restoreTo, 0);
    if (t === null || !node) return;
    const b = from === '' ? undefined : Number(from);
    actions.act(
      [{ type: 'restore', node: node.id, target: t, ...(b === undefined ? {} : { backup: b }) }],
      `Restored ${node.id} to tick ${t}`,
    );
  }

  return (
    <fieldset className="dur-controls" disabled={disabled}>
      <legend>Disks and backups</legend>
      {servers.length > 1 && (
        <div className="dur-grid">
          <label htmlFor={`${ids}-node`}>Server</label>
          <select id={`${ids}-node`} value={node.id} onChange={(e) => setPicked(e.target.value)}>
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id}
                {s.crashed ? ' (crashed)' : ''}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="check-row">
        <input
          id={`${ids}-wal`}
          type="checkbox"
          checked={wal}
          onChange={(e) =>
            actions.act(
              [{ type: 'set-durability', wal: e.target.checked }],
              e.target.checked ? `Write-ahead log on for ${all}` : `Write-ahead log off for ${all}`,
            )
          }
        />
        <label htmlFor={`${ids}-wal`}>Write-ahead log ({all})</label>
      </div>
      {!wal && (
        <form
          className="dur-form"
          onSubmit={(e) => {
            e.preventDefault();
            const n = int(flush, 1);
            if (n !== null) actions.act([{ type: 'set-durability', flushEvery: n }], `Flush ${all} every ${n} ticks`);
          }}
        >
          <label htmlFor={`${ids}-flush`}>Flush every</label>
          <span className="dur-inline">
            <input
              id={`${ids}-flush`}
              type="number"
              min={1}
              max={100000}
              value={flush}
              onChange={(e) => setFlushEvery(e.target.value)}
            />
            <span className="hint">ticks</span>
            <button type="submit">Set</button>
          </span>
        </form>
      )}
      <form className="dur-form" onSubmit={schedule}>
        <label htmlFor={`${ids}-every`}>Back up every</label>
        <span className="dur-inline">
          <input
            id={`${ids}-every`}
            type="number"
            min={0}
            max={100000}
            value={backupEvery}
            onChange={(e) => setEvery(e.target.value)}
          />
          <span className="hint">ticks</span>
          <button type="submit">Schedule backups</button>
        </span>
      </form>
      <div className="button-row">
        <button
          type="button"
          onClick={() => actions.act([{ type: 'backup', node: node.id }], `Backed up ${node.id}`)}
          disabled={node.crashed}
        >
          Back up now
        </button>
        {/*
         * All three stay where they are, enabled or not: a button that gave way to "Recover"
         * under the pointer let a second click (or Space) undo the crash at once.
         */}
        <button
          type="button"
          disabled={node.crashed}
          onClick={() =>
            actions.act([{ type: 'crash', node: node.id, disk: 'unflushed-lost' }], `Cut ${node.id}'s power`)
          }
        >
          Cut power
        </button>
        <button
          type="button"
          className="danger"
          disabled={node.crashed}
          onClick={() =>
            actions.act([{ type: 'crash', node: node.id, disk: 'lost' }], `Crashed ${node.id}; its disk is lost`)
          }
        >
          Crash and lose disk
        </button>
        <button
          type="button"
          disabled={!node.crashed}
          onClick={() => actions.act([{ type: 'recover', node: node.id }], `Recovered ${node.id}`)}
        >
          Recover {node.id}
        </button>
      </div>
      <form onSubmit={restore}>
        <div className="dur-grid">
          <label htmlFor={`${ids}-target`}>Restore to tick</label>
          <input
            id={`${ids}-target`}
            type="number"
            min={0}
            max={tick}
            value={restoreTo}
            onChange={(e) => setTarget(e.target.value)}
          />
          <label htmlFor={`${ids}-from`}>From backup</label>
          <select id={`${ids}-from`} value={from} onChange={(e) => setFrom(e.target.value)}>
            <option value="">Latest intact one</option>
            {backups
              .slice(-20)
              .reverse()
              .map((b) => (
                <option key={b.id} value={b.id}>
                  #{b.id} at tick {b.tick}
                  {b.corrupted ? ' (corrupt)' : ''}
                </option>
              ))}
          </select>
        </div>
        <div className="button-row">
          <button type="submit" className="primary" disabled={backups.length === 0}>
            Restore {node.id}
          </button>
          <button
            type="button"
            onClick={() => actions.act([{ type: 'restore-drill', node: node.id }], `Restore drill of ${node.id}`)}
            disabled={(view?.backups ?? []).every((b) => b.node !== node.id)}
          >
            Run restore drill
          </button>
        </div>
      </form>
      {backups.length === 0 && (
        <p className="hint">No backup of {node.id} at or before that tick yet: schedule backups first.</p>
      )}
      <details className="more">
        <summary>Damage a backup</summary>
        <p className="hint">Changes one value in {node.id}'s latest backup, as bit rot would; a drill finds it.</p>
        <button
          type="button"
          onClick={() => {
            const b = [...(view?.backups ?? [])].reverse().find((x) => x.node === node.id);
            if (b) actions.act([{ type: 'corrupt-backup', backup: b.id }], `Corrupted backup #${b.id}`);
          }}
          disabled={(view?.backups ?? []).every((b) => b.node !== node.id)}
        >
          Corrupt latest backup
        </button>
      </details>
    </fieldset>
  );
}

// ---------------------------------------------------------------- the backup timeline

const H = 76;
const PAD = 10;

function EventMark({ e, x, y }: { e: DiskEventView; x: (t: number) => number; y: number }) {
  const cx = x(e.tick);
  if (e.kind === 'crash')
    return (
      <g className={`dur-loss dur-${e.kind}`}>
        <path d={`M${cx - 5} ${y - 5}l10 10m0 -10l-10 10`} />
        {e.point !== null && e.point !== e.tick && (
          <line className="dur-point" x1={x(e.point)} x2={x(e.point)} y1={8} y2={H - 8} />
        )}
      </g>
    );
  if (e.kind === 'restore') {
    const px = x(e.point ?? e.tick);
    return (
      <g className="dur-restore">
        <line className="dur-point" x1={px} x2={px} y1={8} y2={H - 8} />
        <path d={`M${cx} ${y + 14}H${px + 6}`} />
        <path className="dur-arrow" d={`M${px} ${y + 14}l7 -4v8z`} />
        <circle cx={cx} cy={y + 14} r={4} />
      </g>
    );
  }
  if (e.kind === 'drill')
    return <path className={e.ok ? 'dur-drill-ok' : 'dur-drill-bad'} d={`M${cx} ${y - 16}l5 8h-10z`} />;
  return null;
}

export function BackupTimeline({ view, end, cursor }: { view: DurabilityView; end: number; cursor: number }) {
  const ids = useId();
  const [ref, size] = useElementSize<HTMLDivElement>();
  const width = Math.max(200, size.width);
  const x = (t: number): number => PAD + (Math.max(0, Math.min(end, t)) / Math.max(1, end)) * (width - 2 * PAD);
  const y = H / 2;
  // A lost disk that a later restore repaired would paint the whole run red: its writes
  // are drawn only while no restore of that node follows.
  const lostTicks = view.events.filter((e) => e.repairedAt === null).flatMap((e) => e.lost.map((l) => l.tick));
  const summary = `Backup timeline: ${view.backupCount} backup${view.backupCount === 1 ? '' : 's'}; ${
    view.events.map((e) => `${e.title} at tick ${e.tick}`).join('; ') || 'no losses or restores yet'
  }.`;
  const events = [...view.events].reverse();
  return (
    <section aria-labelledby={`${ids}-h`} className="block dur-block">
      <h3 id={`${ids}-h`}>Backups</h3>
      <ul className="dur-settings">
        {view.servers.map((s) => (
          <li key={s.id}>
            <strong>{s.id}</strong>:{' '}
            {s.wal
              ? 'write-ahead log'
              : `no write-ahead log, flushed every ${s.flushEvery} ticks${s.flushedAt !== null && s.flushedAt >= 0 ? ` (last at ${s.flushedAt})` : ''}`}
            {s.backupEvery > 0 ? `; backed up every ${s.backupEvery} ticks` : '; no scheduled backups'}
          </li>
        ))}
      </ul>
      <div ref={ref} className="dur-chart">
        <svg width={width} height={H} role="img" aria-label={summary}>
          <line className="dur-axis" x1={PAD} x2={width - PAD} y1={y} y2={y} />
          {lostTicks.map((t, i) => (
            <line key={`l${i}`} className="dur-lost" x1={x(t)} x2={x(t)} y1={y + 3} y2={y + 9} />
          ))}
          {view.backups.map((b) => (
            <rect
              key={b.id}
              className={b.corrupted ? 'dur-backup dur-corrupt' : 'dur-backup'}
              x={x(b.tick) - 4}
              y={y - 4}
              width={8}
              height={8}
              transform={`rotate(45 ${x(b.tick)} ${y})`}
            />
          ))}
          {view.events.map((e) => (
            <EventMark key={e.id} e={e} x={x} y={y} />
          ))}
          <line className="dur-cursor" x1={x(cursor)} x2={x(cursor)} y1={2} y2={H - 14} />
          <text className="dur-tick" x={PAD} y={H - 2}>
            0
          </text>
          <text className="dur-tick" x={width - PAD} y={H - 2} textAnchor="end">
            {end}
          </text>
        </svg>
      </div>
      <p className="dur-legend" aria-hidden="true">
        <span>
          <svg width="12" height="12">
            <rect className="dur-backup" x="2" y="2" width="8" height="8" transform="rotate(45 6 6)" />
          </svg>{' '}
          backup
        </span>
        <span>
          <svg width="12" height="12">
            <path className="dur-loss-key" d="M1 1l10 10m0 -10l-10 10" />
          </svg>{' '}
          loss
        </span>
        <span>
          <svg width="14" height="12">
            <circle className="dur-restore-key" cx="7" cy="6" r="4" />
          </svg>{' '}
          restore
        </span>
        <span>
          <svg width="8" height="14">
            <line className="dur-point" x1="4" x2="4" y1="0" y2="14" />
          </svg>{' '}
          recovery point
        </span>
        <span>
          <svg width="6" height="12">
            <line className="dur-lost" x1="3" x2="3" y1="2" y2="10" />
          </svg>{' '}
          lost write
        </span>
      </p>
      {view.backups.length > 0 && (
        <details className="more">
          <summary>
            {view.backupCount} backup{view.backupCount === 1 ? '' : 's'} (checksums)
          </summary>
          <ol className="dur-backups">
            {[...view.backups].reverse().map((b) => (
              <li key={b.id}>
                #{b.id} {b.node} at tick <span className="num">{b.tick}</span> · <code>{b.checksum}</code>
                {b.corrupted && <strong className="dur-bad"> corrupt</strong>}
              </li>
            ))}
          </ol>
        </details>
      )}
      {events.length === 0 ? (
        <p className="hint">No loss, restore or drill yet.</p>
      ) : (
        <ol className="dur-events" aria-label="Losses, restores and drills, newest first">
          {events.map((e) => (
            <li key={e.id} className={`dur-event dur-event-${e.kind}`}>
              <p className="dur-title">
                <span className="num">tick {e.tick}</span> ·{' '}
                <strong className={e.ok === false ? 'dur-bad' : undefined}>{e.title}</strong>
              </p>
              <p className="hint">{e.detail}</p>
              {(e.kind === 'crash' || e.kind === 'restore') && <LostWrites e={e} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function LostWrites({ e }: { e: DiskEventView }) {
  const ids = useId();
  if (e.lostTotal === 0) return <p className="dur-none">No acknowledged write lost.</p>;
  if (e.repairedAt !== null)
    return (
      <p className="dur-lost-caption">
        {e.lostTotal} acknowledged write{e.lostTotal === 1 ? ' was' : 's were'} on the lost disk; the restore at tick{' '}
        {e.repairedAt} brought back those before its target.
      </p>
    );
  const caption = `${e.lostTotal} acknowledged write${e.lostTotal === 1 ? '' : 's'} lost${e.point !== null ? ` after tick ${e.point}` : ''}${e.maybe ? ` (${e.maybe} may have survived)` : ''}`;
  return (
    <>
      <p id={`${ids}-c`} className="dur-lost-caption">
        {caption}
        {e.lost.length < e.lostTotal ? `; the first ${e.lost.length}:` : ':'}
      </p>
      <table className="grid dur-table" aria-labelledby={`${ids}-c`}>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Tick</th>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {e.lost.map((l) => (
            <tr key={`${l.op}:${l.key}`} className={l.certain ? undefined : 'dur-maybe'}>
              <td>{l.agent}</td>
              <td className="num">{l.tick}</td>
              <td>
                <code>{l.key}</code>
              </td>
              <td>
                <code>{l.value}</code>
                {!l.certain && <span className="hint"> (maybe)</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
