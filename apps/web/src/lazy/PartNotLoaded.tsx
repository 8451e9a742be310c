/** What a lazy part shows when its chunk could not be fetched: why, and the way out. */
export function PartNotLoaded({ name, error }: { name: string; error: unknown }) {
  const why = error instanceof Error ? error.message : String(error);
  return (
    <div className="state warn" role="alert">
      <p>
        The {name} could not be loaded: {why}. The agent may have been upgraded since this page was opened.
      </p>
      <button type="button" onClick={() => window.location.reload()}>
        Reload the page
      </button>
    </div>
  );
}
