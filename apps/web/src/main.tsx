// Entry point: creates the services once and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createServices } from './app/services';
import { App } from './components/App';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App services={createServices()} />
  </StrictMode>,
);
