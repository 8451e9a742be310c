import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface DetailsSheetProps {
  /** a narrow window: the details become a full-width sheet while something is selected. */
  narrow: boolean;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}

/**
 * The details panel as the window allows: beside the graph on a wide window; on a narrow one a
 * full-width sheet in place of the list (under the graph) while something is selected, with a way
 * back, and the host's facts under the list otherwise. The sheet stays in the page's flow under
 * the header, the counts and the toolbar, so that they stay one tap away while it is open.
 */
export function DetailsSheet({ narrow, open, onClose, children }: DetailsSheetProps) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const sheetRef = useRef<HTMLDivElement>(null);
  const sheet = narrow && open;
  // Opening the sheet puts the reader at its top; a new selection inside it leaves them be.
  // Closing it gives the focus back to what opened it (the list row), as a dialog does.
  useEffect(() => {
    if (!sheet) return;
    const opener = document.activeElement;
    sheetRef.current?.scrollIntoView({ block: 'start' });
    closeRef.current?.focus({ preventScroll: true });
    return () => {
      const focusIsLost = document.activeElement === null || document.activeElement === document.body || !document.activeElement.isConnected;
      if (opener instanceof HTMLElement && opener.isConnected && focusIsLost) opener.focus();
    };
  }, [sheet]);
  if (!narrow) return <>{children}</>;
  // A dialog opened from the sheet handles its own Escape (and stops it).
  const onKeyDown = (e: KeyboardEvent) => {
    if (sheet && e.key === 'Escape') onClose();
  };
  return (
    <div ref={sheetRef} className={sheet ? 'details-sheet open' : 'details-sheet'} onKeyDown={onKeyDown}>
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
