import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClientProvider, browserApiClient } from './api/apiClient';
import { App } from './App';
import { WriteAccessProvider } from './components/writes/WriteAccessProvider';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Polling and events keep the data current; a focus refetch on top adds nothing.
      refetchOnWindowFocus: false,
      staleTime: 2_000,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiClientProvider client={browserApiClient()}>
      <QueryClientProvider client={queryClient}>
        <WriteAccessProvider>
          <App />
        </WriteAccessProvider>
      </QueryClientProvider>
    </ApiClientProvider>
  </StrictMode>,
);
