interface Reason {
  code: string;
  outcome: string;
  message: string;
}

/** Every reason a decision gave, worst first as the check listed them, with its stable code. */
export function Reasons({ reasons }: { reasons: Reason[] }) {
  return (
    <ul className="reasons">
      {reasons.map((r) => (
        <li key={`${r.code}-${r.message}`} className={`outcome-${r.outcome}`}>
          <code>{r.code}</code> {r.message}
        </li>
      ))}
    </ul>
  );
}
