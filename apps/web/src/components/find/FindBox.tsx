import { useId, useMemo, useState, type Ref } from 'react';
import type { FindError } from '../../find/findQuery';
import { applySuggestion, suggest, type FindVocabulary, type Suggestions } from '../../find/findSuggestions';
import './find.css';

export interface FindBoxProps {
  value: string;
  onChange: (value: string) => void;
  /** Enter with no suggestion chosen: go to the next match. */
  onSubmit: () => void;
  /** the values this host has, offered as the user types; none: no suggestions. */
  vocabulary?: FindVocabulary;
  errors?: readonly FindError[];
  matchCount: number | null;
  matchPosition: number | null;
  inputRef?: Ref<HTMLInputElement>;
}

const NO_ERRORS: readonly FindError[] = [];

/**
 * The search box as an ARIA combobox (the WAI-ARIA 1.2 pattern with a list popup): suggestions for
 * the word being typed, chosen with the arrow keys and Enter or a click, closed with Escape; under
 * the box, what the grammar did not understand.
 */
const NO_SUGGESTIONS: Suggestions = { from: 0, items: [] };

export function FindBox({ value, onChange, onSubmit, vocabulary, errors = NO_ERRORS, matchCount, matchPosition, inputRef }: FindBoxProps) {
  const id = useId();
  const listId = `${id}-suggestions`;
  const messageId = `${id}-message`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  // Worked out only while the list can show (the vocabulary is read the first time it does).
  const suggestions = useMemo(() => (vocabulary && open ? suggest(value, vocabulary) : NO_SUGGESTIONS), [value, vocabulary, open]);
  const shown = open && suggestions.items.length > 0;

  const pick = (index: number) => {
    const item = suggestions.items[index];
    if (!item) return;
    onChange(applySuggestion(value, suggestions, item));
    // A key ("driver:") goes on to its values; a whole term is done.
    setOpen(item.text.endsWith(':'));
    setActive(-1);
  };

  return (
    <div className="search find-box">
      <input
        ref={inputRef}
        type="search"
        role="combobox"
        value={value}
        placeholder="Find: numa:1 free, driver:mlx5_core, 3b:02…"
        aria-label="Find VFs by numa:, speed:, driver:, vendor:, model:, vm:, group:, free, held, vfio, PCI address, netdev or MAC (press / to focus)"
        aria-keyshortcuts="/"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={errors.length > 0 ? messageId : undefined}
        aria-invalid={errors.length > 0 || undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          const n = suggestions.items.length;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            if (n === 0) return;
            e.preventDefault();
            if (!shown) {
              setOpen(true);
              setActive(e.key === 'ArrowDown' ? 0 : n - 1);
            } else setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (shown && active >= 0) pick(active);
            else {
              setOpen(false);
              onSubmit();
            }
          } else if (e.key === 'Escape') {
            e.preventDefault();
            if (shown) {
              setOpen(false);
              setActive(-1);
            } else {
              onChange('');
              e.currentTarget.blur();
            }
          } else if (e.key === 'Tab') setOpen(false);
        }}
      />
      {value === '' ? <kbd aria-hidden="true">/</kbd> : null}
      {matchCount !== null ? (
        <span className="match-count" role="status">
          {matchCount === 0 ? 'no match' : matchPosition !== null ? `${matchPosition + 1} of ${matchCount}` : `${matchCount} match${matchCount === 1 ? '' : 'es'}`}
        </span>
      ) : null}
      <ul id={listId} role="listbox" aria-label="suggestions" className="find-suggestions" hidden={!shown}>
        {shown
          ? suggestions.items.map((item, i) => (
              <li
                key={item.text}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                // Keep the focus in the box: a click must not blur it first.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(i)}
              >
                <span className="mono">{item.text}</span> <span className="muted">{item.hint}</span>
              </li>
            ))
          : null}
      </ul>
      {errors.length > 0 ? (
        <p id={messageId} className="find-error" aria-live="polite">
          {errors.map((e) => e.message).join(' · ')}
        </p>
      ) : null}
    </div>
  );
}
