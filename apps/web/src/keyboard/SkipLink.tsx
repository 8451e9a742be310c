import { requestGraphFocus } from './graphFocus';

/**
 * The page's first tab stop: "Skip to the graph" past the header, the free-VF chips and the
 * toolbar. Hidden until it has the focus. The graph takes the focus itself (on the item the
 * keyboard was last on); in a view without the graph (IOMMU groups, checks) the link lands at
 * the start of the main content, which is also its href's target.
 */
export function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#main"
      onClick={(e) => {
        e.preventDefault();
        if (document.querySelector('[data-graph]')) requestGraphFocus(null);
        else document.getElementById('main')?.focus();
      }}
    >
      Skip to the graph
    </a>
  );
}
