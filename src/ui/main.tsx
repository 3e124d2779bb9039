import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { LabContext } from './context';
import { ShareContext } from './ShareControls';
import { browserShareEnv, connectShare, pageStartup } from './shareSetup';
import { createLabStore } from '../state/store';
import { browserHost } from '../state/host';
import { registerServiceWorker } from './registerSw';
import './styles.css';

// What the page opens with: a share link in the fragment, the autosaved work, or neither.
const shareEnv = browserShareEnv();
const startup = pageStartup(shareEnv);
// With neither, a scenario is already running when the page opens: the default one, playing.
const store = createLabStore(browserHost(), { autoplay: startup.kind === 'none' });
const share = connectShare(store, (scenario, tick, id) => store.getState().actions.openScenario(scenario, tick, id), shareEnv, startup);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary area="StateLab" onUndo={() => store.getState().actions.undo()}>
      <LabContext.Provider value={store}>
        <ShareContext.Provider value={share}>
          <App />
        </ShareContext.Provider>
      </LabContext.Provider>
    </ErrorBoundary>
  </StrictMode>,
);

// Production builds keep a copy of the site for offline use (see registerSw.ts).
registerServiceWorker();
