/** The facts a check or a drift finding rests on: each file read and what it held. */
export function EvidenceTable({ evidence, className = 'check-evidence' }: { evidence: readonly { path: string; value: string }[]; className?: string }) {
  return (
    <table className={className} aria-label="Evidence">
      <thead>
        <tr>
          <th scope="col">Read from</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {evidence.map((e, i) => (
          <tr key={`${i}:${e.path}`}>
            <td>
              <code>{e.path}</code>
            </td>
            <td>
              <code>{e.value}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
