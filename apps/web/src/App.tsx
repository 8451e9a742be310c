import { useEffect, useState, type ReactNode } from 'react';
import { useHosts } from './api/api';
import { useWriteAccess } from './api/writeAccess';
import { HostPicker } from './components/HostPicker';
import { ErrorState, Loading } from './components/StatusViews';
import { SvgDefs } from './components/SvgDefs';
import { hostFromUrl, hostToShow, setHostInUrl } from './hostChoice';
import { HostPage } from './pages/HostPage';

export function App() {
  const [chosen, setChosen] = useState<string | null>(hostFromUrl);
  const hosts = useHosts((list) => hostToShow(list, hostFromUrl()));
  const list = hosts.data?.hosts ?? [];
  const hostId = hosts.data ? hostToShow(hosts.data, chosen) : null;
  const host = list.find((h) => h.id === hostId);

  // An agent started with --read-only says so in its host list: the write controls are
  // disabled from the start instead of after a refused write.
  const { markReadOnly } = useWriteAccess();
  const readOnly = host?.readOnly === true;
  useEffect(() => {
    if (readOnly) markReadOnly('The agent was started with --read-only: it shows the host and refuses every change.');
  }, [readOnly, markReadOnly]);

  useEffect(() => {
    document.title = host ? `${host.hostname} · vfmap` : 'vfmap';
  }, [host]);

  let content: ReactNode;
  if (hosts.error && !hosts.data) content = <ErrorState error={hosts.error} context="Host list" lastTried={hosts.errorUpdatedAt} />;
  else if (!hosts.data) content = <Loading what="Asking the agent which hosts it knows…" />;
  else if (!hostId) content = <div className="state">This server knows no hosts.</div>;
  else content = <HostPage key={hostId} hostId={hostId} />;

  return (
    <div className="app">
      {/* Slot fills, defined once for the graph and the legend; hidden without display:none,
          which would stop Chromium from painting the patterns. */}
      <svg className="defs" width="0" height="0" aria-hidden="true" focusable="false">
        <SvgDefs />
      </svg>
      <header className="topbar">
        <h1 className="brand">
          vfmap<span className="muted"> · SR-IOV map</span>
        </h1>
        {host ? (
          <div className="host-facts">
            <strong>{host.hostname}</strong>
            <span className="muted">{host.hypervisor}</span>
          </div>
        ) : null}
        <HostPicker
          hosts={list}
          value={hostId ?? ''}
          onChange={(id) => {
            setChosen(id);
            setHostInUrl(id);
          }}
        />
      </header>
      <main>{content}</main>
    </div>
  );
}
