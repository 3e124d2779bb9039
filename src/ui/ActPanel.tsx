import { lazy, Suspense, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getArchitecture } from '../sim/architectures/registry';
import { parseUpdates, parseValueInput } from '../state/format';
import { useLab } from './context';
import { ArchControlsHost } from './arch/ArchPanels';
import { DurabilityControlsHost } from './DurabilityHost';
import { Toggle } from './Toggle';

// Loaded when opened (or when a scenario has health checks on), not with the first screen.
const HealthControls = lazy(() => import('./HealthControls').then((m) => ({ default: m.HealthControls })));

function HealthControlsHost({ agent, disabled }: { agent: string | null; disabled: boolean }) {
  const current = useLab((s) => s.panelView.health?.config ?? null);
  const [opened, setOpened] = useState(false);
  const open = opened || current !== null;
  return (
    <details className="more health-controls" open={open} onToggle={(e) => setOpened(e.currentTarget.open)}>
      <summary>Health checks{current ? ` (on: ${current.detector === 'phi' ? 'φ accrual' : 'timeout'})` : ''}</summary>
      {open && (
        <Suspense fallback={<p className="hint">Loading…</p>}>
          <HealthControls agent={agent} disabled={disabled} />
        </Suspense>
      )}
    </details>
  );
}

/**
 * Act: everything a user does is an action appended at the cursor tick. The buttons read
 * their labels from the architecture's operation registry (Write, Read, Delete, ...).
 */
/** What the Act panel shows, narrowed so it re-renders only when one of these changes. */
function useActFacts() {
  return useLab(
    useShallow((s) => {
      const v = s.panelView;
      const acting =
        s.actingAgent && v.agents.some((a) => a.id === s.actingAgent) ? s.actingAgent : (v.agents[0]?.id ?? null);
      const agent = v.agents.find((a) => a.id === acting);
      const own = v.links.filter((l) => l.a === acting || l.b === acting);
      const store = v.servers.length === 1 ? v.servers[0] : undefined;
      return {
        agentIds: v.agents.map((a) => `${a.id}${a.crashed ? ' (crashed)' : ''}`).join('|'),
        acting,
        agentCrashed: agent?.crashed ?? false,
        linkCount: own.length,
        linkCut: own.length > 0 && own.every((l) => l.cutAB || l.cutBA),
        anyCut: v.links.some((l) => l.cutAB || l.cutBA),
        serverIds: v.servers.map((x) => `${x.id}${x.crashed ? '!' : ''}`).join('|'),
        storeId: store?.id ?? null,
        storeCrashed: store?.crashed ?? false,
        tick: v.tick,
      };
    }),
  );
}

/** What a store-wide rollback is, per architecture (docs/engine.md, "Rollback and audit"). */
const ROLLBACK_HINT: Record<string, string> = {
  centralized:
    'Every key back to its value at that tick, as one more store version (the version counter never goes back).',
  'event-sourcing': 'Compensating events, appended as one batch: the log keeps every event it had.',
  partitioned:
    'Writes back the values the audit trail shows at that tick (acknowledged writes only), as one update across shards.',
  gossip:
    'Writes back, at your replica, the values the audit trail shows at that tick; a concurrent write elsewhere may still win the merge.',
};

export function ActPanel() {
  const facts = useActFacts();
  const actions = useLab((s) => s.actions);
  const kind = useLab((s) => s.scenario.architecture.kind);
  const seeking = useLab((s) => s.status === 'seeking');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [updates, setUpdates] = useState('');
  const [workload, setWorkload] = useState<'random' | 'idle'>('random');
  const [formError, setFormError] = useState<string | null>(null);
  const [rollbackTick, setRollbackTick] = useState('');
  const ids = useId();

  const arch = getArchitecture(kind);
  const ops = arch.operations;
  // What Update many does here comes from the architecture: only some make it atomic.
  const updateHint = useLab((s) => {
    const config = s.panelView.arch?.config ?? s.scenario.architecture;
    return arch.opHint?.('update', config) ?? ops.find((o) => o.name === 'update')?.description ?? '';
  });
  const label = (name: string): string => ops.find((o) => o.name === name)?.label ?? name;
  const agent = facts.acting;
  const agentOptions = facts.agentIds ? facts.agentIds.split('|') : [];
  const linkCut = facts.linkCut;

  function run(op: 'get' | 'set' | 'delete'): void {
    setFormError(null);
    if (!agent) return setFormError('Spawn an agent first.');
    if (key.trim() === '') return setFormError('Type a key first.');
    const args = op === 'set' ? { key, value: parseValueInput(value) } : { key };
    actions.operate(agent, op, args);
  }

  function submit(e: FormEvent): void {
    e.preventDefault();
    run('set');
  }

  function runUpdates(): void {
    setFormError(null);
    if (!agent) return setFormError('Spawn an agent first.');
    const r = parseUpdates(updates);
    if ('error' in r) return setFormError(r.error);
    actions.operate(agent, 'update', { updates: r.updates });
  }

  const disabled = seeking || !agent;
  return (
    <section className="panel act" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>Act</h2>
      <p className="hint">Acts happen at tick {facts.tick}, the cursor.</p>

      <div className="field-row">
        <label htmlFor={`${ids}-agent`}>Agent</label>
        <select
          id={`${ids}-agent`}
          value={agent ?? ''}
          onChange={(e) => actions.setActingAgent(e.target.value)}
          disabled={agentOptions.length === 0}
        >
          {agentOptions.length === 0 && <option value="">no agents</option>}
          {agentOptions.map((label) => {
            const id = label.split(' ')[0]!;
            return (
              <option key={id} value={id}>
                {label}
              </option>
            );
          })}
        </select>
      </div>
      <div className="button-row">
        <button type="button" onClick={() => actions.spawnAgent(workload)} disabled={seeking}>
          Spawn agent
        </button>
        <button type="button" onClick={() => agent && actions.removeAgent(agent)} disabled={disabled}>
          Remove agent
        </button>
      </div>
      <div className="check-row">
        <input
          id={`${ids}-wl`}
          type="checkbox"
          checked={workload === 'idle'}
          onChange={(e) => setWorkload(e.target.checked ? 'idle' : 'random')}
        />
        <label htmlFor={`${ids}-wl`}>New agents are idle</label>
      </div>

      <form className="op-form" onSubmit={submit} aria-labelledby={`${ids}-op`}>
        <h3 id={`${ids}-op`}>One key</h3>
        <div className="field-row">
          <label htmlFor={`${ids}-key`}>Key</label>
          <input
            id={`${ids}-key`}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={128}
          />
        </div>
        <div className="field-row">
          <label htmlFor={`${ids}-value`}>Value</label>
          <input
            id={`${ids}-value`}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${ids}-value-hint`}
          />
        </div>
        <p id={`${ids}-value-hint`} className="hint">
          Text, or JSON such as 42 or {'{"x": 1}'}.
        </p>
        <div className="button-row">
          <button type="submit" disabled={disabled}>
            {label('set')}
          </button>
          <button type="button" onClick={() => run('get')} disabled={disabled}>
            {label('get')}
          </button>
          <button type="button" onClick={() => run('delete')} disabled={disabled}>
            {label('delete')}
          </button>
        </div>
      </form>

      <details className="more">
        <summary>Several keys at once</summary>
        <div className="field-col">
          <label htmlFor={`${ids}-updates`}>Updates</label>
          <textarea
            id={`${ids}-updates`}
            rows={3}
            value={updates}
            onChange={(e) => setUpdates(e.target.value)}
            placeholder={'x = 1\ny = "two"'}
            spellCheck={false}
            aria-describedby={`${ids}-updates-hint`}
          />
          <p id={`${ids}-updates-hint`} className="hint">
            One key = value per line. {updateHint}
          </p>
        </div>
        <button type="button" onClick={runUpdates} disabled={disabled}>
          {label('update')}
        </button>
      </details>

      <details className="more">
        <summary>Roll back the store</summary>
        <form
          className="field-col"
          onSubmit={(e) => {
            e.preventDefault();
            setFormError(null);
            if (!agent) return setFormError('Spawn an agent first.');
            const t = Number(rollbackTick);
            if (rollbackTick.trim() === '' || !Number.isInteger(t) || t < -1)
              return setFormError('Type the tick to roll back to: a whole number.');
            if (t > facts.tick)
              return setFormError(`Tick ${t} is after the cursor (${facts.tick}): roll back to the past.`);
            actions.rollbackStore(agent, t);
          }}
        >
          <label htmlFor={`${ids}-rbtick`}>Back to tick</label>
          <input
            id={`${ids}-rbtick`}
            inputMode="numeric"
            value={rollbackTick}
            onChange={(e) => setRollbackTick(e.target.value)}
            autoComplete="off"
            aria-describedby={`${ids}-rb-hint`}
          />
          <p id={`${ids}-rb-hint`} className="hint">
            {ROLLBACK_HINT[kind]}
          </p>
          <button type="submit" disabled={disabled}>
            Roll back store
          </button>
        </form>
      </details>

      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}

      <h3>Faults</h3>
      <div className="button-row">
        {facts.storeId && (
          <Toggle
            pressed={facts.storeCrashed}
            onPress={() => facts.storeId && actions.toggleCrash(facts.storeId)}
            disabled={seeking}
          >
            Crash store
          </Toggle>
        )}
        {!facts.storeId && <ServerCrash servers={facts.serverIds} disabled={seeking} />}
        {agent && facts.linkCount > 0 && (
          <Toggle pressed={linkCut} onPress={() => actions.setNodeLinks(agent, !linkCut)} disabled={seeking}>
            {`Cut ${agent}'s link${facts.linkCount === 1 ? '' : 's'}`}
          </Toggle>
        )}
        <button type="button" onClick={() => actions.healAll()} disabled={seeking || !facts.anyCut}>
          Heal all links
        </button>
      </div>
      <HealthControlsHost agent={agent} disabled={seeking} />
      <ArchControlsHost disabled={seeking} />
      <DurabilityControlsHost disabled={seeking} />
    </section>
  );
}

/** Several servers: pick one, then crash or recover it. */
function ServerCrash({ servers, disabled }: { servers: string; disabled: boolean }) {
  const actions = useLab((s) => s.actions);
  const list = servers ? servers.split('|').map((x) => ({ id: x.replace(/!$/, ''), crashed: x.endsWith('!') })) : [];
  const [picked, setPicked] = useState('');
  const id = useId();
  const node = list.find((x) => x.id === picked) ?? list[0];
  if (!node) return null;
  return (
    <span className="inline-field">
      <label htmlFor={id}>Server</label>
      <select id={id} value={node.id} onChange={(e) => setPicked(e.target.value)}>
        {list.map((x) => (
          <option key={x.id} value={x.id}>
            {x.id}
            {x.crashed ? ' (crashed)' : ''}
          </option>
        ))}
      </select>
      <Toggle pressed={node.crashed} onPress={() => actions.toggleCrash(node.id)} disabled={disabled}>
        {`Crash ${node.id}`}
      </Toggle>
    </span>
  );
}

export function UndoBar() {
  const undo = useLab((s) => s.undo);
  const actions = useLab((s) => s.actions);
  const last = undo[undo.length - 1];
  return (
    <>
      <button
        type="button"
        onClick={() => actions.undo()}
        disabled={!last}
        aria-describedby="undo-what"
        aria-keyshortcuts="Control+Z"
      >
        Undo
      </button>
      <span id="undo-what" className="sr-only">
        {last ? last.label : 'nothing to undo'}
      </span>
    </>
  );
}

export function NoticeBar() {
  const notice = useLab((s) => s.notice);
  const error = useLab((s) => s.error);
  const actions = useLab((s) => s.actions);
  return (
    <div className="notices">
      <div role="status" aria-live="polite" className={`notice${notice?.tone === 'error' ? ' notice-error' : ''}`}>
        {notice && (
          <>
            <span>{notice.text}</span>
            {notice.undo && (
              <button type="button" onClick={() => actions.undo()}>
                Undo
              </button>
            )}
            <button
              type="button"
              className="quiet"
              onClick={() => actions.dismissNotice()}
              aria-label="Dismiss message"
            >
              ×
            </button>
          </>
        )}
      </div>
      {error && (
        <div role="alert" className="notice notice-error">
          <span>{error}</span>
          <button type="button" onClick={() => actions.undo()}>
            Undo last action
          </button>
        </div>
      )}
    </div>
  );
}
