import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTopology } from '../api/api';
import { mergeOperations } from '../api/mergeOperations';
import { useHostEvents } from '../api/useHostEvents';
import { usePersistence } from '../api/usePersistence';
import { keptMarksOf } from '../graph/keptMarks';
import { useWritesInFlight } from '../api/useWrites';
import { FreeSummary } from '../components/FreeSummary';
import { GraphView, type ZoomRequest } from '../components/GraphView';
import { ErrorState, IommuOffBanner, Loading, NoSriov, StaleBanner } from '../components/StatusViews';
import { Toolbar, type View } from '../components/Toolbar';
import { clockTime } from '../format/clock';
import { filterGraph, isCollapsed, type ViewOptions } from '../graph/graphFiltering';
import { layoutGraph } from '../graph/graphLayout';
import { buildGraphModel } from '../graph/graphModel';
import { findInGraph } from '../find/findInGraph';
import { lazyVocabulary } from '../find/findSuggestions';
import { FindDimming } from '../components/find/FindDimming';
import { nodeId, parseNodeId, type NodeId } from '../graph/nodeId';
import { selectionFromParam, selectionParam } from '../graph/selectionParam';
import { legendEntries } from '../graph/legendEntries';
import { useForcedMarks } from '../api/useForcedMarks';
import { ExportMenu } from '../components/ExportMenu';
import '../components/history/history.css';
import { useEscapeToGraph } from '../keyboard/useEscapeToGraph';
import { useFocusAfterWrite } from '../keyboard/useFocusAfterWrite';
import { NARROW_QUERY, useMediaQuery } from '../components/useMediaQuery';
import { DetailsSheet } from '../components/list/DetailsSheet';
import { ShapeSwitch, type Shape } from '../components/list/ShapeSwitch';
import { lazyPart, preloadPartsWhenIdle } from '../lazy/lazyPart';

// Everything below the first drawing comes in its own chunk, fetched when the browser is idle
// after the graph is drawn (App preloads them): the details, the dialogs, the other tabs.
// Its place is kept while it loads: the graph's first fit measures the room beside it.
const DetailsPanel = lazyPart(
  'details panel',
  () => import('../components/DetailsPanel').then((m) => m.DetailsPanel),
  <aside className="details" aria-label="details" aria-busy="true" />,
);
const WriteActions = lazyPart('write controls', () => import('../components/writes/WriteActions').then((m) => m.WriteActions));
const VfSettingsEditor = lazyPart('VF settings', () => import('../components/settings/VfSettingsEditor').then((m) => m.VfSettingsEditor));
const IommuGroupsView = lazyPart('IOMMU groups', () => import('../components/IommuGroupsView').then((m) => m.IommuGroupsView));
const HostDrift = lazyPart('drift findings', () => import('../components/drift/HostDrift').then((m) => m.HostDrift));
const ChecksPanel = lazyPart('checks', () => import('../components/checks/ChecksPanel').then((m) => m.ChecksPanel));
const HistoryView = lazyPart('history', () => import('../components/history/HistoryView').then((m) => m.HistoryView));
const FindMatches = lazyPart('match list', () => import('../components/find/FindMatches').then((m) => m.FindMatches));
const TopologyList = lazyPart('list view', () => import('../components/list/TopologyList').then((m) => m.TopologyList));

export interface HostPageProps {
  hostId: string;
  /**
   * What the address bar says is selected (`?select=`: a PF or VF address, or a node id such as
   * "vm:101"); the page selects it and brings it on screen once the topology is in, and again
   * when it changes (the back button). Undefined: the page keeps its selection to itself.
   */
  select?: string | null;
  /** the operator selected something else (or nothing), as `?select=` writes it. */
  onSelectionChange?: (select: string | null) => void;
  /** the search box's query the address bar holds (`?q=`): applied on arrival and on back. */
  query?: string;
  /** the operator typed in the search box. */
  onQueryChange?: (q: string) => void;
}

/**
 * One host: its free-VF counts, the topology graph or the IOMMU groups, and the details of what
 * is selected with the controls that change it. Holds the view state (search, filter, expanded
 * PFs, selection); the server state and the writes live in react-query.
 */
export function HostPage({ hostId, select, onSelectionChange, query, onQueryChange }: HostPageProps) {
  const events = useHostEvents(hostId);
  const persistence = usePersistence(hostId);
  const kept = useMemo(() => keptMarksOf(persistence.data), [persistence.data]);
  const topology = useTopology(hostId, { eventsConnected: events.connected });
  const inFlight = useWritesInFlight(hostId);
  // The strips show the agent's operations and this page's writes still waiting for an answer.
  const operations = useMemo(() => mergeOperations(events.operations, inFlight), [events.operations, inFlight]);

  const [view, setView] = useState<View>('graph');
  const [search, setSearch] = useState(query ?? '');
  const [onlyFree, setOnlyFree] = useState(false);
  const [expansion, setExpansion] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [selected, setSelected] = useState<NodeId | null>(null);
  const [zoomRequest, setZoomRequest] = useState<ZoomRequest | null>(null);
  const [matchPosition, setMatchPosition] = useState<number | null>(null);
  const seq = useRef(0);
  // A narrow window (a phone) shows the topology as a list by default; the graph is one tap away.
  const narrow = useMediaQuery(NARROW_QUERY);
  const [shape, setShape] = useState<Shape | null>(null);
  const asList = narrow && (shape ?? 'list') === 'list';

  const data = topology.data;
  const model = useMemo(() => (data ? buildGraphModel(data.topology) : null), [data]);
  const forcedMarks = useForcedMarks(hostId, data?.topology);
  const legend = useMemo(() => (model ? legendEntries(model, { forced: forcedMarks.size > 0 }) : undefined), [model, forcedMarks]);
  const deferredSearch = useDeferredValue(search);
  const searchResult = useMemo(() => (model ? findInGraph(model, deferredSearch) : null), [model, deferredSearch]);
  const vocabulary = useMemo(() => (model ? lazyVocabulary(model) : undefined), [model]);

  // The search lives in the address bar too (`?q=`), so it can be shared: typing writes it there,
  // and back or forward to another search puts that one in the box.
  const queryReportRef = useRef(onQueryChange);
  queryReportRef.current = onQueryChange;
  const searchRef = useRef(search);
  searchRef.current = search;
  const changeSearch = useCallback((value: string) => {
    setSearch(value);
    queryReportRef.current?.(value.trim() === '' ? '' : value);
  }, []);
  useEffect(() => {
    if (query !== undefined && query !== searchRef.current) setSearch(query);
  }, [query]);
  const options: ViewOptions = useMemo(() => ({ onlyFree, expansion, search: searchResult }), [onlyFree, expansion, searchResult]);
  const filtered = useMemo(() => (model ? filterGraph(model, options) : null), [model, options]);
  const layout = useMemo(() => (filtered ? layoutGraph(filtered) : null), [filtered]);
  // Once something is drawn, the parts the first drawing did without are fetched while the browser idles.
  const drawn = layout !== null;
  useEffect(() => {
    if (drawn) preloadPartsWhenIdle();
  }, [drawn]);

  const reportRef = useRef(onSelectionChange);
  reportRef.current = onSelectionChange;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  /** The operator's own choice: said to the address bar. */
  const choose = useCallback((id: NodeId | null) => {
    setSelected(id);
    reportRef.current?.(selectionParam(id));
  }, []);

  useEscapeToGraph(selected, () => choose(null));
  useFocusAfterWrite(inFlight, model);

  const zoomTo = useCallback((ids: readonly NodeId[]) => {
    seq.current += 1;
    setZoomRequest({ ids, seq: seq.current });
  }, []);

  // A match inside a PF the operator keeps collapsed shows on that PF's summary bar.
  const highlighted = useMemo(() => {
    if (!searchResult) return EMPTY;
    const ids = new Set(searchResult.matches);
    for (const pf of searchResult.pfsToExpand) ids.add(nodeId.bar(pf));
    return ids;
  }, [searchResult]);

  // A new query zooms to what it found; a refetch under the same query leaves the view alone.
  const highlightedRef = useRef(highlighted);
  highlightedRef.current = highlighted;
  useEffect(() => {
    setMatchPosition(null);
    const ids = [...highlightedRef.current];
    if (ids.length > 0) zoomTo(ids);
  }, [deferredSearch, zoomTo]);

  const toggle = useCallback(
    (pf: string) => {
      const node = model?.pfByAddress.get(pf);
      if (!node) return;
      setExpansion((prev) => new Map(prev).set(pf, isCollapsed(node, { ...options, expansion: prev })));
    },
    [model, options],
  );

  /**
   * Select a node and bring it on screen, opening its PF and switching to the graph if needed.
   * `report`: false when the address bar asked for it, so it is not written back.
   */
  const goto = useCallback(
    (id: NodeId, report = true) => {
      setView('graph');
      setSelected(id);
      if (report) reportRef.current?.(selectionParam(id));
      const parsed = parseNodeId(id);
      if (parsed?.kind === 'vf' && model) {
        const vf = model.vfByAddress.get(parsed.key);
        if (vf) {
          setExpansion((prev) => new Map(prev).set(vf.pf, true));
          if (onlyFree && vf.state !== 'free') setOnlyFree(false);
        }
      }
      zoomTo([id]);
    },
    [model, onlyFree, zoomTo],
  );

  // The address bar's selection: on arrival once the topology is in, and when back or forward
  // changes it. One the page already shows (the operator's own click, written back) is left alone.
  useEffect(() => {
    if (!model || select === undefined) return;
    const wanted = select === null ? null : selectionFromParam(model, select);
    if (selectionParam(selectedRef.current) === selectionParam(wanted)) return;
    if (wanted) goto(wanted, false);
    else if (select === null) setSelected(null);
  }, [model, select, goto]);

  const searchNext = () => {
    const r = searchResult;
    if (!r || r.ordered.length === 0) return;
    const next = matchPosition === null ? 0 : (matchPosition + 1) % r.ordered.length;
    setMatchPosition(next);
    goto(r.ordered[next]!);
  };

  if (!data) {
    if (topology.error) return <ErrorState error={topology.error} context={`Topology of ${hostId}`} lastTried={topology.errorUpdatedAt} />;
    return <Loading what={`Reading the SR-IOV topology of ${hostId}…`} />;
  }
  if (!model || !layout) return null;

  const noSriov = model.pfs.length === 0;
  return (
    <div className="host-page">
      <FreeSummary model={model} onGoto={goto} />
      {topology.error ? <StaleBanner error={topology.error} since={topology.dataUpdatedAt} /> : null}
      {!model.iommuEnabled ? <IommuOffBanner /> : null}
      <Toolbar
        view={view}
        onView={setView}
        search={search}
        onSearch={changeSearch}
        vocabulary={vocabulary}
        findErrors={searchResult?.errors}
        onSearchNext={searchNext}
        matchCount={searchResult ? searchResult.ordered.length : null}
        matchPosition={matchPosition}
        onlyFree={onlyFree}
        onOnlyFree={setOnlyFree}
        onExpandAll={() => setExpansion(new Map(model.pfs.map((p) => [p.address, true])))}
        onCollapseAll={() => setExpansion(new Map())}
        legend={legend}
        exportMenu={<ExportMenu model={model} drawingShown={view === 'graph' && !noSriov} />}
      />
      {searchResult ? <FindMatches model={model} result={searchResult} selected={selected} onGoto={goto} /> : null}
      {view === 'graph' ? <FindDimming result={searchResult} layout={layout} /> : null}
      {narrow && view === 'graph' && !noSriov ? <ShapeSwitch value={asList ? 'list' : 'graph'} onChange={setShape} /> : null}
      <div className={narrow ? 'workspace narrow' : 'workspace'}>
        {view === 'groups' ? (
          <IommuGroupsView model={model} onGoto={goto} search={search} />
        ) : view === 'checks' ? (
          <div className="checks-view">
            <HostDrift model={model} onGoto={goto} />
            <ChecksPanel hostId={hostId} />
          </div>
        ) : view === 'history' ? (
          <HistoryView hostId={hostId} model={model} operations={events.operations} onGoto={goto} />
        ) : noSriov ? (
          <NoSriov hostname={model.host.hostname} deviceCount={model.topology.devices.length} onGroups={() => setView('groups')} />
        ) : asList && filtered ? (
          <TopologyList graph={filtered} isSelected={(kind, key) => selected === nodeId[kind](key)} onSelect={(kind, key) => choose(nodeId[kind](key))} onToggle={toggle} />
        ) : (
          <GraphView
            model={model}
            layout={layout}
            selected={selected}
            onSelect={choose}
            onToggle={toggle}
            matches={highlighted}
            zoomRequest={zoomRequest}
            fitKey={hostId}
            operations={operations}
            kept={kept}
            forced={forcedMarks}
            label={`SR-IOV topology of ${model.host.hostname}`}
          />
        )}
        <DetailsSheet narrow={narrow} open={selected !== null && view === 'graph'} onClose={() => choose(null)}>
        <DetailsPanel
          model={model}
          selected={selected}
          onSelect={(id) => (id ? goto(id) : choose(null))}
          onToggle={toggle}
          isCollapsed={(pf) => {
            const node = model.pfByAddress.get(pf);
            return node ? isCollapsed(node, options) : false;
          }}
          actions={(id) => <WriteActions hostId={hostId} model={model} selected={id} operations={operations} />}
          forcedMarks={forcedMarks}
          vfSettings={(vf) => <VfSettingsEditor key={vf.address} hostId={hostId} model={model} vf={vf} operations={operations} />}
        />
        </DetailsSheet>
      </div>
      <p className="freshness muted" role="status">
        {events.connected ? 'Live: the agent pushes changes' : 'Polling the agent every 5 s'} · read{' '}
        <time dateTime={model.host.collectedAt}>{clockTime(model.host.collectedAt)}</time>
        {` · ${model.pfs.length} PFs, ${model.counts.total} VFs, ${model.vms.length} VMs`}
      </p>
    </div>
  );
}

const EMPTY: ReadonlySet<NodeId> = new Set();
