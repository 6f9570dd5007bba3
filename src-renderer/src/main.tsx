import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/create-client';
import { App } from './app/App';
import './features/grid/grid-setup';
import './styles.css';

const { client, tokens } = createClient();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

createRoot(root).render(
  <StrictMode>
    <App client={client} tokens={tokens} />
  </StrictMode>,
);
