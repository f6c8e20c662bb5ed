// Renderer entry: one store over the transport's client, then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { StoreContext } from './app/context';
import { AppStore } from './app/store';
import { getClient } from './transport';
import './styles/theme.css';
import './styles/layout.css';
import './styles/chrome.css';
import './styles/panels.css';
import './styles/table.css';

const store = new AppStore(getClient());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
