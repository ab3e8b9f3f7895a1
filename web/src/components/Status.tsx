/** What just happened, said once under the action that did it (screen readers hear it too). */
export function Status({ message }: { message: string | null }) {
  return message ? (
    <p role="status" className="status">
      {message}
    </p>
  ) : null;
}
