import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { seedQueries } from './api/api';
import { ApiClientProvider, browserApiClient } from './api/apiClient';
import { App } from './App';
import { WriteAccessProvider } from './components/writes/WriteAccessProvider';
import { earlyAnswers } from './earlyAnswers';
import './theme.css';
import './styles.css';
import './keyboard/keyboard.css';
import './styles/graphOverlays.css';
import './styles/narrow.css';

// User Timing marks (vfmap:*), for the benchmark (scripts/benchPage.ts) and anyone with DevTools open.
performance.mark('vfmap:app');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Polling and events keep the data current; a focus refetch on top adds nothing.
      refetchOnWindowFocus: false,
      staleTime: 2_000,
    },
  },
});

seedQueries(queryClient, await earlyAnswers);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiClientProvider client={browserApiClient(window.__vfmapPreloaded)}>
      <QueryClientProvider client={queryClient}>
        <WriteAccessProvider>
          <App />
        </WriteAccessProvider>
      </QueryClientProvider>
    </ApiClientProvider>
  </StrictMode>,
);
