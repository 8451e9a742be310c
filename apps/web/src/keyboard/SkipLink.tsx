import { requestGraphFocus } from './graphFocus';

/**
 * The page's first tab stop: "Skip to the graph" past the header, the free-VF chips and the
 * toolbar. Hidden until it has the focus. The graph takes the focus itself (on the item the
 * keyboard was last on), so no id is needed in the graph and no hash lands in the address bar.
 */
export function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#graph"
      onClick={(e) => {
        e.preventDefault();
        requestGraphFocus(null);
      }}
    >
      Skip to the graph
    </a>
  );
}
