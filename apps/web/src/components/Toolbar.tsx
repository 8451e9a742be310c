import { useEffect, useRef, type ReactNode } from 'react';
import type { LegendEntry } from '../graph/legendEntries';
import type { FindError } from '../find/findQuery';
import type { FindVocabulary } from '../find/findSuggestions';
import { FindBox } from './find/FindBox';

export type View = 'graph' | 'groups' | 'checks' | 'history';

export interface ToolbarProps {
  view: View;
  onView: (view: View) => void;
  search: string;
  onSearch: (value: string) => void;
  /** Enter in the search box: go to the next match. */
  onSearchNext: () => void;
  matchCount: number | null;
  matchPosition: number | null;
  /** the values this host has, for the search box's suggestions. */
  vocabulary?: FindVocabulary;
  /** what the search box did not understand. */
  findErrors?: readonly FindError[];
  onlyFree: boolean;
  onOnlyFree: (value: boolean) => void;
  onExpandAll: () => void;
  onCollapseAll: () => void;
  /** the legend of this host (legendEntries); without it, every entry. */
  legend?: readonly LegendEntry[];
  /** the Export menu, when the page offers it. */
  exportMenu?: ReactNode;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function Toolbar(props: ToolbarProps) {
  const searchRef = useRef<HTMLInputElement>(null);

  // `/` focuses the search from anywhere on the page, as in most tools that have one.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target)) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const { matchCount, matchPosition } = props;
  return (
    <div className="toolbar">
      <div className="tabs" role="tablist" aria-label="view">
        <button type="button" role="tab" aria-selected={props.view === 'graph'} onClick={() => props.onView('graph')}>
          Topology
        </button>
        <button type="button" role="tab" aria-selected={props.view === 'groups'} onClick={() => props.onView('groups')}>
          IOMMU groups
        </button>
        <button type="button" role="tab" aria-selected={props.view === 'checks'} onClick={() => props.onView('checks')}>
          Checks
        </button>
        <button type="button" role="tab" aria-selected={props.view === 'history'} onClick={() => props.onView('history')}>
          History
        </button>
      </div>
      <FindBox
        inputRef={searchRef}
        value={props.search}
        onChange={props.onSearch}
        onSubmit={props.onSearchNext}
        vocabulary={props.vocabulary}
        errors={props.findErrors}
        matchCount={matchCount}
        matchPosition={matchPosition}
      />
      <label className="toggle-free">
        <input type="checkbox" checked={props.onlyFree} onChange={(e) => props.onOnlyFree(e.target.checked)} />
        Only free VFs
      </label>
      {props.view === 'graph' ? (
        <div className="expand-buttons">
          <button type="button" className="secondary" onClick={props.onExpandAll}>
            Expand all
          </button>
          <button type="button" className="secondary" onClick={props.onCollapseAll}>
            Collapse large
          </button>
        </div>
      ) : null}
      {props.exportMenu}
      <Legend entries={props.legend} />
    </div>
  );
}

const ALL_ENTRIES: readonly LegendEntry[] = [
  { glyph: 'free', label: 'free' },
  { glyph: 'held', label: 'held' },
  { glyph: 'unavailable', label: 'shared IOMMU group' },
  { glyph: 'pending', label: 'pending' },
];

const GLYPHS: Record<LegendEntry['glyph'], ReactNode> = {
  free: (
    <>
      <rect className="cell s-free" width="14" height="14" rx="2" />
      <circle className="marks-free" cx="7" cy="7" r="2.4" />
    </>
  ),
  held: <rect className="cell s-assigned" width="14" height="14" rx="2" />,
  unavailable: (
    <>
      <rect className="cell s-unavailable" width="14" height="14" rx="2" />
      <path className="marks-unavailable" d="M0,7L7,0M0,14L14,0M7,14L14,7" />
    </>
  ),
  pending: <rect className="cell s-assigned pending" x="1" y="1" width="12" height="12" rx="2" />,
  forced: (
    <>
      <rect className="cell s-assigned" width="14" height="14" rx="2" />
      <path className="forced-glyph" d="M0,14L0,6.3L7.7,14Z" />
    </>
  ),
};

export function Legend({ entries = ALL_ENTRIES }: { entries?: readonly LegendEntry[] | undefined }) {
  return (
    <ul className="legend" aria-label="legend">
      {entries.map((e) => (
        <li key={e.label}>
          <svg width="14" height="14" aria-hidden="true">
            {GLYPHS[e.glyph]}
          </svg>
          {e.label}
        </li>
      ))}
    </ul>
  );
}
