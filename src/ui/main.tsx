import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { LabContext } from './context';
import { createLabStore } from '../state/store';
import { browserHost } from '../state/host';
import './styles.css';

// A scenario is already running when the page opens: the default one, playing.
const store = createLabStore(browserHost(), { autoplay: true });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary area="StateLab" onUndo={() => store.getState().actions.undo()}>
      <LabContext.Provider value={store}>
        <App />
      </LabContext.Provider>
    </ErrorBoundary>
  </StrictMode>,
);
