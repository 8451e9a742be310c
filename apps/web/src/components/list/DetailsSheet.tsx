import { useEffect, useRef, type ReactNode } from 'react';

export interface DetailsSheetProps {
  /** a narrow window: the details become a full-width sheet while something is selected. */
  narrow: boolean;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}

/**
 * The details panel as the window allows: beside the graph on a wide window; on a narrow one a
 * full-width sheet over the list while something is selected (with a way back to the list), and
 * the host's facts under the list otherwise.
 */
export function DetailsSheet({ narrow, open, onClose, children }: DetailsSheetProps) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const sheet = narrow && open;
  // Opening the sheet puts the reader in it; a new selection inside it leaves the focus alone.
  useEffect(() => {
    if (sheet) closeRef.current?.focus({ preventScroll: true });
  }, [sheet]);
  if (!narrow) return <>{children}</>;
  return (
    <div className={sheet ? 'details-sheet open' : 'details-sheet'}>
      {sheet ? (
        <div className="details-sheet-bar">
          <button ref={closeRef} type="button" className="secondary" onClick={onClose}>
            Close the details
          </button>
        </div>
      ) : null}
      {children}
    </div>
  );
}
