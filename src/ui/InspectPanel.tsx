import { Toggle } from './Toggle';
import { Fragment, lazy, memo, Suspense, useDeferredValue, useEffect, useId, useRef, useState } from 'react';
import type { AgentView, AuditEntryView, InspectView, KeyView, OpView, QueueItemView, WorldView } from '../state/view';
import type { LabActions } from '../state/store';
import { agentColour } from '../viz/palette';
import { keyText } from '../state/format';
import './audit.css';
import { useLab } from './context';
import { agentStatus, linkState } from './Diagram';
import { BackupTimelineHost } from './DurabilityHost';

// Health details load with the first server or agent inspected under health checks.
const ServerHealthDetails = lazy(() => import('./HealthControls').then((m) => ({ default: m.ServerHealthDetails })));
const AgentHealthDetails = lazy(() => import('./HealthControls').then((m) => ({ default: m.AgentHealthDetails })));

/**
 * Inspect: the selected node, agent or key, then the store's state (keys, values,
 * versions), every agent's counts, the store's queue, and the world hash of this tick.
 * Everything shown is read from the engine's world; outcomes and reasons are the engine's.
 */

function Outcome({ op }: { op: OpView }) {
  const cls = op.outcome === null ? 'pending' : op.outcome;
  const mark = op.outcome === 'ok' ? '✓' : op.outcome === 'fail' ? '✗' : op.outcome === 'info' ? '?' : '…';
  return (
    <span className={`badge badge-${cls}`}>
      <span aria-hidden="true">{mark} </span>
      {op.outcomeText}
    </span>
  );
}

function OpLog({ ops, total }: { ops: OpView[]; total: number }) {
  if (ops.length === 0) return <p className="hint">No operations yet.</p>;
  return (
    <>
      <p className="hint">
        {total > ops.length
          ? `Newest ${ops.length} of ${total} operations.`
          : `${total} operation${total === 1 ? '' : 's'}, newest first.`}
      </p>
      <ol className="op-log" aria-label="Operation log">
        {ops.map((op) => (
          <li key={op.id} className={`op op-${op.outcome ?? 'pending'}`}>
            <div className="op-head">
              <Outcome op={op} /> <code className="op-summary">{op.summary}</code>
              {op.result && <span className="op-result"> → {op.result}</span>}
            </div>
            <div className="op-time">
              #{op.id} · tick {op.invokedAt}
              {op.completedAt !== null ? ` → ${op.completedAt}` : ''}
            </div>
            {op.via && <div className="op-via">{op.via}</div>}
            {op.reason && <div className="op-reason">{op.reason}</div>}
          </li>
        ))}
      </ol>
    </>
  );
}

function Queue({ items, label }: { items: QueueItemView[]; label: string }) {
  if (items.length === 0) return <p className="hint">The queue is empty.</p>;
  return (
    <ol className="queue" aria-label={label}>
      {items.map((q) => (
        <li key={`${q.from}#${q.opId}`}>
          <span className="dot" style={{ background: agentColour(q.from) }} aria-hidden="true" /> {q.from}:{' '}
          <code>{q.summary}</code> <span className="hint">since tick {q.arrivedAt}</span>
        </li>
      ))}
    </ol>
  );
}

type KeyInspect = Extract<InspectView, { kind: 'key' }>;

const AUDIT_SOURCE: Record<KeyInspect['auditSource'], string> = {
  server: 'From the server’s own record: every change it applied.',
  history:
    'From the agents’ history (no server keeps one here): acknowledged writes, and writes whose outcome is unknown, marked.',
};

function valueText(v: string | null) {
  return v === null ? <em>absent</em> : <code>{v}</code>;
}

function AuditItem({ e, keyLabel, byTick }: { e: AuditEntryView; keyLabel: string; byTick: boolean }) {
  const actions = useLab((s) => s.actions);
  const seeking = useLab((s) => s.status === 'seeking');
  const agent = useLab((s) => s.actingAgent ?? s.panelView.agents[0]?.id ?? null);
  const isRollback = e.opName === 'rollback';
  const when = e.version !== null ? `v${e.version} · tick ${e.tick}` : `tick ${e.tick}`;
  return (
    <li className={`audit-entry${isRollback ? ' audit-rollback' : ''}${e.certain ? '' : ' audit-uncertain'}`}>
      <div className="audit-head">
        <span className="num">{when}</span>
        <span>
          {e.agent !== null ? (
            <>
              <span className="dot" style={{ background: agentColour(e.agent) }} aria-hidden="true" /> {e.agent}
            </>
          ) : (
            <em>unknown agent</em>
          )}{' '}
          <span className="hint">
            {e.opName}
            {e.op !== null ? ` #${e.op}` : ''}
            {isRollback && e.rollbackTo !== null ? ` to ${byTick ? 'tick ' : 'v'}${e.rollbackTo}` : ''}
          </span>
        </span>
      </div>
      <div className="audit-change">
        <span>
          {valueText(e.old)} <span aria-hidden="true">→</span> <span className="sr-only">becomes</span>{' '}
          {valueText(e.new)}
        </span>
        {e.rollback && (
          <button
            type="button"
            disabled={seeking || agent === null}
            aria-label={`Roll back to this version: ${keyLabel} = ${e.new ?? 'absent'} (${when})`}
            onClick={() => {
              if (agent && e.rollback) actions.operate(agent, e.rollback.op, e.rollback.args, true);
            }}
          >
            Roll back to this version
          </button>
        )}
      </div>
      {(!e.certain || e.inferred) && (
        <div className="hint">
          {!e.certain
            ? 'Outcome unknown: it may or may not have taken effect.'
            : e.awaitingReply
              ? 'Applied; its reply is still on its way.'
              : 'Its reply was lost: matched to the store’s record by what it wrote.'}
        </div>
      )}
    </li>
  );
}

function KeySelected({ inspect }: { inspect: KeyInspect }) {
  const last = inspect.audit.find((e) => e.certain);
  const headingId = `${useId()}-audit`;
  return (
    <>
      <h3>
        Key <code>{inspect.label}</code>
      </h3>
      <p>
        {inspect.current ? (
          <>
            Now {inspect.current.value}, written at version {inspect.current.version} (tick {inspect.current.writtenAt}
            ).
          </>
        ) : inspect.current === null && inspect.totalVersions > 0 ? (
          'Absent at this tick.'
        ) : last ? (
          <>
            Last {inspect.auditSource === 'history' ? 'acknowledged ' : ''}change at tick {last.tick}:{' '}
            {valueText(last.new)}.
          </>
        ) : (
          'Absent at this tick.'
        )}
      </p>
      <h4 id={headingId}>Audit trail</h4>
      <p className="hint">
        {AUDIT_SOURCE[inspect.auditSource]}{' '}
        {inspect.auditTotal > inspect.audit.length
          ? `Newest ${inspect.audit.length} of ${inspect.auditTotal} changes.`
          : 'Newest first.'}
      </p>
      {inspect.audit.length === 0 ? (
        <p className="hint">Never written.</p>
      ) : (
        <ol className="audit" aria-labelledby={headingId}>
          {inspect.audit.map((e) => (
            <AuditItem key={e.id} e={e} keyLabel={inspect.label} byTick={inspect.auditSource === 'history'} />
          ))}
        </ol>
      )}
    </>
  );
}

function Selected({ inspect }: { inspect: InspectView }) {
  const actions = useLab((s) => s.actions);
  const seeking = useLab((s) => s.status === 'seeking');
  switch (inspect.kind) {
    case 'server': {
      const s = inspect.server;
      const st = s.stats;
      return (
        <>
          <h3>
            {s.id} <span className="hint">({s.crashed ? 'crashed' : 'up'})</span>
          </h3>
          <dl className="facts">
            {s.version !== null && (
              <>
                <dt>Version</dt>
                <dd>{s.version}</dd>
              </>
            )}
            {s.facts.map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </Fragment>
            ))}
            {s.role === 'store' && (
              <>
                <dt>In service</dt>
                <dd>{s.inService ? `${s.inService.from}: ${s.inService.summary}` : 'nothing'}</dd>
              </>
            )}
            {st && (
              <>
                <dt>Served</dt>
                <dd>{st.served}</dd>
                <dt>Mean wait</dt>
                <dd>{st.served ? (st.totalWait / st.served).toFixed(1) : '0'} ticks</dd>
                <dt>Longest queue</dt>
                <dd>{st.maxQueue}</dd>
                <dt>Lost on crash</dt>
                <dd>{st.lostOnCrash}</dd>
              </>
            )}
          </dl>
          <Toggle pressed={s.crashed} onPress={() => actions.toggleCrash(s.id)} disabled={seeking}>
            {s.role === 'store' ? 'Crash store' : `Crash ${s.id}`}
          </Toggle>
          {s.health && (
            <Suspense fallback={null}>
              <ServerHealthDetails id={s.id} h={s.health} />
            </Suspense>
          )}
          {s.role === 'store' && (
            <>
              <h4>Queue: {s.detail}</h4>
              <Queue items={inspect.queue} label={`${s.id} queue`} />
            </>
          )}
        </>
      );
    }
    case 'agent': {
      const a = inspect.agent;
      const own = inspect.links;
      const cut = own.length > 0 && own.every((l) => l.cutAB || l.cutBA);
      return (
        <>
          <h3>
            <span className="dot" style={{ background: agentColour(a.id) }} aria-hidden="true" /> {a.id}{' '}
            <span className="hint">({agentStatus(a)})</span>
          </h3>
          <p className="counts">
            <span>{a.stats.ok} ok</span> · <span>{a.stats.fail} failed</span> · <span>{a.stats.info} timed out</span>
            {a.queued > 0 && <> · {a.queued} queued</>}
          </p>
          {a.pending && (
            <p className="pending">
              Waiting since tick {a.pending.sentAt} for <code>{a.pending.summary}</code> (times out after{' '}
              {a.pending.timeout} ticks)
              {a.pending.note ? `: ${a.pending.note}` : ''}.
            </p>
          )}
          {own.map((l) => {
            const other = l.a === a.id ? l.b : l.a;
            return (
              <p key={other}>
                Link to {other}: {linkState(l)}.
              </p>
            );
          })}
          <div className="button-row">
            {own.length > 0 && (
              <Toggle pressed={cut} onPress={() => actions.setNodeLinks(a.id, !cut)} disabled={seeking}>
                {`Cut ${a.id}'s link${own.length === 1 ? '' : 's'}`}
              </Toggle>
            )}
            <Toggle pressed={a.crashed} onPress={() => actions.toggleCrash(a.id)} disabled={seeking}>
              {`Crash ${a.id}`}
            </Toggle>
          </div>
          <Suspense fallback={null}>
            <AgentHealthDetails id={a.id} sees={inspect.sees} fallback={a.fallback} />
          </Suspense>
          <h4>Operation log</h4>
          <OpLog ops={inspect.ops} total={inspect.totalOps} />
        </>
      );
    }
    case 'agent-gone':
      return (
        <>
          <h3>
            {inspect.id} <span className="hint">(not in the world at this tick)</span>
          </h3>
          <OpLog ops={inspect.ops} total={inspect.totalOps} />
        </>
      );
    case 'key':
      return <KeySelected inspect={inspect} />;
    case 'link': {
      const l = inspect.link;
      if (!l) return <p>That link is gone at this tick.</p>;
      return (
        <>
          <h3>
            Link {l.a} – {l.b}
          </h3>
          <p>
            {l.a} → {l.b}: {l.cutAB ? 'cut' : 'up'}. {l.b} → {l.a}: {l.cutBA ? 'cut' : 'up'}.
          </p>
          <Toggle
            pressed={l.cutAB || l.cutBA}
            onPress={() => actions.setLink(l.a, l.b, !(l.cutAB || l.cutBA))}
            disabled={seeking}
          >
            {`Cut the link ${l.a} – ${l.b}`}
          </Toggle>
        </>
      );
    }
  }
}

function StateTable({ view }: { view: WorldView }) {
  const actions = useLab((s) => s.actions);
  const store = view.servers[0];
  if (store?.role !== 'store') {
    return (
      <section aria-labelledby="state-h" className="block">
        <h3 id="state-h">State</h3>
        <p className="hint">
          State lives on {view.servers.length} servers here: the diagram under the topology shows what each holds;
          select a server for its figures.
        </p>
        {view.auditKeys.length > 0 && (
          <>
            <h4 id="audit-keys-h">Keys changed so far</h4>
            <p className="hint">Click one for who changed it, when, and to roll it back.</p>
            <ul className="key-list" aria-labelledby="audit-keys-h">
              {view.auditKeys.map((k) => (
                <li key={k}>
                  <button type="button" className="linklike" onClick={() => actions.select({ kind: 'key', key: k })}>
                    {keyText(k)}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    );
  }
  return (
    <section aria-labelledby="state-h" className="block">
      <h3 id="state-h">State</h3>
      <p className="hint">
        {store
          ? `${store.id} at version ${store.version}, ${view.keys.length} key${view.keys.length === 1 ? '' : 's'}.`
          : ''}{' '}
        Click a key for its history.
      </p>
      {view.keys.length > 0 && (
        <table className="grid state-table" aria-labelledby="state-h">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {view.keys.map((k) => (
              <KeyRow key={k.key} k={k} actions={actions} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const AgentRow = memo(function AgentRow({ a, actions }: { a: AgentView; actions: LabActions }) {
  return (
    <tr>
      <th scope="row">
        <button type="button" className="linklike" onClick={() => actions.select({ kind: 'agent', id: a.id })}>
          <span className="dot" style={{ background: agentColour(a.id) }} aria-hidden="true" />{' '}
          <span className="name">{a.id}</span>
        </button>
      </th>
      <td className="num">{a.stats.ok}</td>
      <td className="num">{a.stats.fail}</td>
      <td className="num">{a.stats.info}</td>
      <td className="last">{a.crashed ? 'crashed' : a.last ? <Outcome op={a.last} /> : '—'}</td>
    </tr>
  );
});

const KeyRow = memo(function KeyRow({ k, actions }: { k: KeyView; actions: LabActions }) {
  return (
    <tr>
      <th scope="row">
        <button type="button" className="linklike" onClick={() => actions.select({ kind: 'key', key: k.key })}>
          {k.label}
        </button>
      </th>
      <td>
        <code>{k.value}</code>
      </td>
      <td className="num">{k.version}</td>
    </tr>
  );
});

function AgentsTable({ view }: { view: WorldView }) {
  const actions = useLab((s) => s.actions);
  return (
    <section aria-labelledby="agents-h" className="block">
      <h3 id="agents-h">Agents</h3>
      {view.agents.length === 0 ? (
        <p className="hint">No agents. Spawn one in Act.</p>
      ) : (
        <table className="grid agents-table" aria-labelledby="agents-h">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col" className="num">
                Ok
              </th>
              <th scope="col" className="num">
                Failed
              </th>
              <th scope="col" className="num">
                Timed out
              </th>
              <th scope="col" className="last">
                Last
              </th>
            </tr>
          </thead>
          <tbody>
            {view.agents.map((a) => (
              <AgentRow key={a.id} a={a} actions={actions} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function StoreQueue({ view }: { view: WorldView }) {
  const store = view.servers[0];
  if (store?.role !== 'store') return null;
  return (
    <section aria-labelledby="queue-h" className="block">
      <h3 id="queue-h">Store queue: {store.detail}</h3>
      {store.inService && (
        <p>
          In service: {store.inService.from}: <code>{store.inService.summary}</code>
        </p>
      )}
      <Queue items={store.queue.slice(0, 12)} label="Store queue" />
      {store.queueLength > 12 && <p className="hint">and {store.queueLength - 12} more.</p>}
    </section>
  );
}

/** The hash's first 12 hex digits, always in view: what a class reads aloud to compare. */
export function ShortHash() {
  const hash = useLab((s) => s.hash);
  const rev = useLab((s) => s.rev);
  const current = hash && hash.rev === rev ? hash : null;
  return (
    <p className="short-hash">
      <span className="hint">World hash</span>{' '}
      <code className="hash" aria-describedby="full-hash-where">
        {current ? current.hash.slice(0, 12) : '…'}
      </code>
      <span id="full-hash-where" className="sr-only">
        {current ? `at tick ${current.tick}; the full hash is in the Inspect panel` : 'computing'}
      </span>
    </p>
  );
}

export function WorldHash() {
  const hash = useLab((s) => s.hash);
  const cursor = useLab((s) => s.cursor);
  const rev = useLab((s) => s.rev);
  const [copied, setCopied] = useState(false);
  const current = hash && hash.rev === rev ? hash : null;
  const fresh = current && current.tick === cursor;
  return (
    <section aria-labelledby="hash-h" className="block hash-block">
      <h3 id="hash-h">World hash</h3>
      {current ? (
        <>
          <p>
            At tick <span className="num">{current.tick}</span>:{' '}
            <code className="hash">{current.hash.slice(0, 12)}</code>
            {!fresh && <span className="hint"> (updating…)</span>}
          </p>
          <details>
            <summary>Full hash</summary>
            <code className="hash-full">{current.hash}</code>
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(current.hash).then(() => setCopied(true));
              }}
            >
              {copied ? 'Copied' : 'Copy hash'}
            </button>
          </details>
        </>
      ) : (
        <p className="hint">Computing…</p>
      )}
    </section>
  );
}

export function InspectPanel() {
  // Deferred: React renders the panel's new numbers in time slices that yield to the
  // browser, so a refresh of 50 agents' rows never holds a frame (no long task).
  const view = useDeferredValue(useLab((s) => s.panelView));
  return <InspectBody view={view} />;
}

const InspectBody = memo(function InspectBody({ view }: { view: WorldView }) {
  const actions = useLab((s) => s.actions);
  const selection = useLab((s) => s.selection);
  const ids = useId();
  const selectedRef = useRef<HTMLElement>(null);
  useEffect(() => {
    // A click on a key or an agent lower down brings its details into view.
    if (selection) selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selection]);
  return (
    <section className="panel inspect" aria-labelledby={`${ids}-h`}>
      <div className="panel-head">
        <h2 id={`${ids}-h`}>Inspect</h2>
        {view.inspect && (
          <button type="button" className="quiet" onClick={() => actions.select(null)}>
            Clear selection
          </button>
        )}
      </div>
      {view.inspect ? (
        <section className="block selected" aria-label="Selected" ref={selectedRef}>
          <Selected inspect={view.inspect} />
        </section>
      ) : (
        <p className="hint">Click a node, an agent or a key to inspect it.</p>
      )}
      <StateTable view={view} />
      <AgentsTable view={view} />
      <StoreQueue view={view} />
      <BackupTimelineHost view={view} />
      <WorldHash />
    </section>
  );
});
