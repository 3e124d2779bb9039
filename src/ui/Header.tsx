import { lazy, Suspense, useId, useState } from 'react';
import { loadCompareView } from './compare/load';
import { architectures } from '../sim/architectures/registry';
import { scenarioMenu } from '../state/scenarios';
import { useLab } from './context';
import { ShareControls } from './ShareControls';
import { usePageMode } from './lesson/pageMode';
import { withoutEmbed } from '../state/shareKeys';

const LessonsDialog = lazy(() => import('./lesson/LessonsDialog'));
const ChallengesDialog = lazy(() => import('./challenge/ChallengesDialog'));

/**
 * The architectures the reference describes. Only those in the engine's registry can be
 * chosen; the rest are listed as coming, so the map of the four is visible without
 * pretending they run.
 */
const REFERENCE_ARCHITECTURES = [
  { kind: 'centralized', label: 'Centralized' },
  { kind: 'event-sourcing', label: 'Event sourcing' },
  { kind: 'partitioned', label: 'Partitioned' },
  { kind: 'gossip', label: 'Gossip (CRDTs)' },
];

export function ArchitectureSwitcher({
  compareOpen = false,
  onCompare,
  onCloseCompare,
}: { compareOpen?: boolean; onCompare?: () => void; onCloseCompare?: () => void } = {}) {
  const current = useLab((s) => s.scenario.architecture.kind);
  const actions = useLab((s) => s.actions);
  const available = new Map(Object.values(architectures).map((a) => [a.kind as string, a.label]));
  const extra = [...available.keys()].filter((k) => !REFERENCE_ARCHITECTURES.some((r) => r.kind === k));
  const items = [...REFERENCE_ARCHITECTURES, ...extra.map((k) => ({ kind: k, label: available.get(k) ?? k }))];
  const ready = items.filter((it) => available.has(it.kind));
  const coming = items.filter((it) => !available.has(it.kind));
  return (
    <nav aria-label="Architecture" className="arch-switcher">
      <ul>
        {ready.map((it) => (
          <li key={it.kind}>
            <button
              type="button"
              aria-pressed={!compareOpen && current === it.kind}
              className="arch"
              onClick={() => {
                if (compareOpen) onCloseCompare?.();
                if (current !== it.kind) actions.loadScenario(it.kind);
              }}
            >
              {available.get(it.kind)}
            </button>
          </li>
        ))}
        {onCompare && (
          <li>
            <button
              type="button"
              aria-pressed={compareOpen}
              className="arch"
              onPointerEnter={() => void loadCompareView()}
              onFocus={() => void loadCompareView()}
              onClick={() => !compareOpen && onCompare()}
            >
              Compare
            </button>
          </li>
        )}
      </ul>
      {coming.length > 0 && (
        <p className="arch-coming">
          <span className="soon">Coming:</span> {coming.map((c) => c.label).join(' · ')}
        </p>
      )}
    </nav>
  );
}

export function Header({
  onHelp,
  dark,
  onTheme,
  compareOpen = false,
  onCompare,
  onCloseCompare,
  playing,
}: {
  onHelp: () => void;
  dark: boolean;
  onTheme: () => void;
  compareOpen?: boolean;
  onCompare?: () => void;
  onCloseCompare?: () => void;
  /** What plays when it is not the lab's scenario (a comparison lesson): its name. */
  playing?: string;
}) {
  const scenarioId = useLab((s) => s.scenarioId);
  const labName = useLab((s) => s.scenario.name);
  const scenarioName = playing ?? labName;
  const actions = useLab((s) => s.actions);
  const ids = useId();
  const [lessons, setLessons] = useState(false);
  const [challenges, setChallenges] = useState(false);
  const { embed } = usePageMode();
  if (embed) {
    // On a course page: the name of what plays, and the way to the whole app.
    // The embed keeps its link in the address (a follower never clears it), so this opens
    // the embedded scenario, not the bare app.
    const full = withoutEmbed(window.location.href);
    return (
      <header className="top top-embed">
        <h1>
          State<span>Lab</span>
        </h1>
        <p className="embed-name">{scenarioName}</p>
        <a href={full} target="_blank" rel="noopener">
          Open in StateLab
        </a>
      </header>
    );
  }
  return (
    <header className="top">
      <h1>
        State<span>Lab</span>
      </h1>
      <ArchitectureSwitcher
        compareOpen={compareOpen}
        {...(onCompare ? { onCompare } : {})}
        {...(onCloseCompare ? { onCloseCompare } : {})}
      />
      <div className="top-tools">
        <button type="button" onClick={() => setLessons(true)} aria-haspopup="dialog">
          Lessons
        </button>
        {lessons && (
          <Suspense fallback={null}>
            <LessonsDialog open={lessons} onClose={() => setLessons(false)} />
          </Suspense>
        )}
        <button type="button" onClick={() => setChallenges(true)} aria-haspopup="dialog">
          Challenges
        </button>
        {challenges && (
          <Suspense fallback={null}>
            <ChallengesDialog open={challenges} onClose={() => setChallenges(false)} />
          </Suspense>
        )}
        {/* The lab's scenario and sharing tools act on the lab; a comparison has its own. */}
        {!compareOpen && (
          <>
            <label htmlFor={`${ids}-sc`}>Scenario</label>
            <select id={`${ids}-sc`} value={scenarioId} onChange={(e) => actions.loadScenario(e.target.value)}>
              {scenarioMenu.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.label}
                </option>
              ))}
              {!scenarioMenu.some((e) => e.id === scenarioId) && (
                <option value={scenarioId} disabled>
                  {labName}
                </option>
              )}
            </select>
            <ShareControls />
          </>
        )}
        <button type="button" onClick={onTheme} aria-pressed={dark}>
          Dark theme
        </button>
        <button type="button" onClick={onHelp} aria-label="Keyboard shortcuts" aria-keyshortcuts="?">
          ?
        </button>
      </div>
    </header>
  );
}
