import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/create-client';
import { App } from './app/App';
import { loadViewState } from './features/filters/use-view-persistence';
import { blockRequest, earlyFirstPage } from './features/grid/first-page';
import { preloadGrid } from './features/grid/lazy-grid';
import { BLOCK_SIZE } from './features/grid/places-datasource';
import './styles.css';

const { client, tokens } = createClient();
// Before anything renders: the grid's code and the first rows, both at once.
void preloadGrid();
if (!tokens || tokens.get()) {
  const { filter, sort } = loadViewState();
  earlyFirstPage.ask(client, blockRequest(filter, sort, 0, BLOCK_SIZE, true));
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

createRoot(root).render(
  <StrictMode>
    <App client={client} tokens={tokens} />
  </StrictMode>,
);
