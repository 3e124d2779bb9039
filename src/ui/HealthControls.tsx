import { useId, useState } from 'react';
import type { HealthConfig } from '../sim/health/config';
import type { Fallback } from '../sim/health/constants';
import { DEFAULT_PHI_HEALTH, DEFAULT_TIMEOUT_HEALTH, FALLBACKS } from '../sim/health/constants';
import type { HealthSeenView, ServerHealthView } from '../state/health';
import { STATUS_GLYPH } from '../state/health';
import { useLab } from './context';

/**
 * Health checks in the Act panel (turn them on, choose the detector and its thresholds, an
 * agent's fallback: each is an action in the log, so links reproduce it) and in Inspect (a
 * server as its watchers see it; an agent's own detector).
 */

const FALLBACK_TEXT: Record<Fallback, string> = {
  none: 'none (wait for the timeout)',
  'fail-fast': 'fail fast',
  'retry-other': 'retry another server',
  cache: 'serve reads from its cache (stale)',
};

function clampInt(text: string, min: number, max: number): number {
  const n = Math.round(Number(text));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}

function clampNum(text: string, min: number, max: number): number {
  const n = Number(text);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n * 100) / 100)) : min;
}

export function HealthControls({ agent, disabled }: { agent: string | null; disabled: boolean }) {
  const current = useLab((s) => s.panelView.health?.config ?? null);
  // Keyed on the configuration in force, so the form shows it again after a seek or a load.
  return (
    <HealthForm key={current ? JSON.stringify(current) : 'off'} current={current} agent={agent} disabled={disabled} />
  );
}

function HealthForm({
  current,
  agent,
  disabled,
}: {
  current: HealthConfig | null;
  agent: string | null;
  disabled: boolean;
}) {
  const fallback = useLab((s) => s.panelView.agents.find((a) => a.id === agent)?.fallback ?? 'none');
  const actions = useLab((s) => s.actions);
  const ids = useId();
  const [detector, setDetector] = useState<'timeout' | 'phi'>(current?.detector ?? 'timeout');
  const base = current ?? DEFAULT_TIMEOUT_HEALTH;
  const [period, setPeriod] = useState(String(base.period));
  const [suspect, setSuspect] = useState(
    String(
      current?.detector === 'phi' ? current.suspect : (current?.suspectAfter ?? DEFAULT_TIMEOUT_HEALTH.suspectAfter),
    ),
  );
  const [down, setDown] = useState(
    String(current?.detector === 'phi' ? current.down : (current?.downAfter ?? DEFAULT_TIMEOUT_HEALTH.downAfter)),
  );
  const [windowSize, setWindowSize] = useState(
    String(current?.detector === 'phi' ? current.window : DEFAULT_PHI_HEALTH.window),
  );

  function pickDetector(d: 'timeout' | 'phi'): void {
    setDetector(d);
    const def = d === 'phi' ? DEFAULT_PHI_HEALTH : DEFAULT_TIMEOUT_HEALTH;
    setSuspect(String(def.detector === 'phi' ? def.suspect : def.suspectAfter));
    setDown(String(def.detector === 'phi' ? def.down : def.downAfter));
  }

  function apply(): void {
    const p = clampInt(period, 1, 1000);
    let config: HealthConfig;
    if (detector === 'timeout') {
      const s = clampInt(suspect, 1, 100_000);
      config = { period: p, detector, suspectAfter: s, downAfter: Math.max(s, clampInt(down, 1, 100_000)) };
    } else {
      const s = clampNum(suspect, 0.1, 100);
      config = {
        period: p,
        detector,
        suspect: s,
        down: Math.max(s, clampNum(down, 0.1, 100)),
        window: clampInt(windowSize, 1, 1000),
      };
    }
    actions.act(
      [{ type: 'set-health', health: config }],
      `Health checks: ${detector === 'phi' ? 'φ accrual' : 'timeout'} detector`,
    );
  }

  const unit = detector === 'phi' ? 'φ' : 'ticks silent';
  return (
    // The <details> and its summary are the host's (ActPanel), so this loads only when opened.
    <>
      <p className="hint">Heartbeats over the network; each agent watches its servers, servers watch each other.</p>
      <div className="field-col health-field">
        <label htmlFor={`${ids}-det`}>Detector</label>
        <select
          id={`${ids}-det`}
          value={detector}
          onChange={(e) => pickDetector(e.target.value === 'phi' ? 'phi' : 'timeout')}
        >
          <option value="timeout">timeout</option>
          <option value="phi">φ accrual</option>
        </select>
      </div>
      <div className="field-col health-field">
        <label htmlFor={`${ids}-period`}>Heartbeat every (ticks)</label>
        <input
          id={`${ids}-period`}
          type="number"
          min={1}
          max={1000}
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
        />
      </div>
      <div className="field-col health-field">
        <label htmlFor={`${ids}-suspect`}>Suspect at ({unit})</label>
        <input
          id={`${ids}-suspect`}
          type="number"
          min={detector === 'phi' ? 0.1 : 1}
          step={detector === 'phi' ? 0.1 : 1}
          value={suspect}
          onChange={(e) => setSuspect(e.target.value)}
        />
      </div>
      <div className="field-col health-field">
        <label htmlFor={`${ids}-down`}>Down at ({unit})</label>
        <input
          id={`${ids}-down`}
          type="number"
          min={detector === 'phi' ? 0.1 : 1}
          step={detector === 'phi' ? 0.1 : 1}
          value={down}
          onChange={(e) => setDown(e.target.value)}
        />
      </div>
      {detector === 'phi' && (
        <div className="field-col health-field">
          <label htmlFor={`${ids}-window`}>Window (heartbeats)</label>
          <input
            id={`${ids}-window`}
            type="number"
            min={1}
            max={1000}
            value={windowSize}
            onChange={(e) => setWindowSize(e.target.value)}
          />
        </div>
      )}
      <div className="button-row">
        <button type="button" onClick={apply} disabled={disabled}>
          {current ? 'Apply detector' : 'Turn health checks on'}
        </button>
        {current && (
          <button
            type="button"
            onClick={() => actions.act([{ type: 'set-health', health: null }], 'Health checks off')}
            disabled={disabled}
          >
            Turn health checks off
          </button>
        )}
      </div>
      {agent && (
        <div className="field-col health-field">
          <label htmlFor={`${ids}-fb`}>{`Fallback of ${agent}`}</label>
          <select
            id={`${ids}-fb`}
            value={fallback}
            disabled={disabled}
            onChange={(e) => {
              const f = FALLBACKS.find((x) => x === e.target.value) ?? 'none';
              actions.act([{ type: 'set-fallback', agent, fallback: f }], `${agent}: fallback ${f}`);
            }}
          >
            {FALLBACKS.map((f) => (
              <option key={f} value={f}>
                {FALLBACK_TEXT[f]}
              </option>
            ))}
          </select>
        </div>
      )}
    </>
  );
}

function statusText(s: HealthSeenView): string {
  return `${STATUS_GLYPH[s.status]} ${s.status}`;
}

function SeenTable({ rows, who, caption }: { rows: HealthSeenView[]; who: 'observer' | 'target'; caption: string }) {
  const phi = rows.some((r) => r.phi !== null);
  return (
    <table className="health-table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{who === 'observer' ? 'Seen by' : 'Server'}</th>
          <th scope="col">Status</th>
          <th scope="col">Since</th>
          <th scope="col">{phi ? 'φ' : 'Silent for'}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.observer}>${r.target}`} className={`health-row health-${r.status}`}>
            <th scope="row">{who === 'observer' ? r.observer : r.target}</th>
            <td>{statusText(r)}</td>
            <td>tick {r.since}</td>
            <td>{r.phi !== null ? `${r.phi.toFixed(2)} (${r.silence}t)` : `${r.silence} ticks`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Inspect, a server: who suspects it, since when, φ or the silence, its last crash, false suspicions. */
export function ServerHealthDetails({ id, h }: { id: string; h: ServerHealthView }) {
  return (
    <section className="health-details" aria-label={`Health of ${id}`}>
      <h4>Health, as its watchers see it</h4>
      {h.seenBy.length === 0 ? (
        <p className="hint">Nobody watches {id}.</p>
      ) : (
        <SeenTable rows={h.seenBy} who="observer" caption={`How each watcher sees ${id}`} />
      )}
      {h.lastCrash && (
        <>
          <p>Its last crash, at tick {h.lastCrash.at}, was noticed:</p>
          <ul className="health-noticed" aria-label={`Detection of ${id}'s crash at tick ${h.lastCrash.at}`}>
            {h.lastCrash.noticed.map((n) => (
              <li key={n.observer}>
                {n.observer}: {n.toSuspect === null ? 'not suspected (yet)' : `suspected after ${n.toSuspect} ticks`}
                {n.toDown === null ? '' : `, down after ${n.toDown} ticks`}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        False suspicions of {id} (suspected while up): <strong>{h.falseSuspicions}</strong>
      </p>
      {h.recentFalse.length > 0 && (
        <ul aria-label={`False suspicions of ${id}`}>
          {h.recentFalse.map((f) => (
            <li key={`${f.observer}@${f.at}`}>
              {f.observer} at tick {f.at}
              {f.until === null ? ', still' : `, until ${f.until}`} (
              {f.cause === 'cut' ? 'the link was cut' : 'heartbeats were late or lost'})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Inspect, an agent: its own failure detector's view and its fallback. */
export function AgentHealthDetails({ id, sees, fallback }: { id: string; sees: HealthSeenView[]; fallback: string }) {
  if (sees.length === 0 && fallback === 'none') return null;
  return (
    <section className="health-details" aria-label={`Failure detector of ${id}`}>
      <h4>Its failure detector</h4>
      <p>
        Fallback:{' '}
        <strong>
          {FALLBACK_TEXT[(FALLBACKS as readonly string[]).includes(fallback) ? (fallback as Fallback) : 'none']}
        </strong>
      </p>
      {sees.length > 0 ? (
        <SeenTable rows={sees} who="target" caption={`How ${id} sees its servers`} />
      ) : (
        <p className="hint">Health checks are off.</p>
      )}
    </section>
  );
}
