export type Shape = 'graph' | 'list';

/** "Graph | List": the topology as the drawing or as a list; the list is the default on a narrow window. */
export function ShapeSwitch({ value, onChange }: { value: Shape; onChange: (shape: Shape) => void }) {
  return (
    <div className="shape-switch" role="group" aria-label="show the topology as">
      <button type="button" aria-pressed={value === 'graph'} onClick={() => onChange('graph')}>
        Graph
      </button>
      <button type="button" aria-pressed={value === 'list'} onClick={() => onChange('list')}>
        List
      </button>
    </div>
  );
}
