import { useEffect, useState } from "react";
import { events } from "../../../bindings";
import { hasBackend } from "../../../lib/ipc-error";

/**
 * Says so when Meta refuses the access token (seen while downloading media): without a valid
 * token, pictures and documents from customers stay undownloaded until the owner reconnects.
 */
export function AccountProblemBanner() {
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!hasBackend()) return;
    let disposed = false;
    let unlisten: (() => void) | null = null;
    events.accountProblem
      .listen(({ payload }) => setProblem(payload.message))
      .then((stop) => {
        if (disposed) stop();
        else unlisten = stop;
      })
      .catch((error: unknown) => console.error("Could not subscribe to account problems", error));
    return () => {
      disposed = true;
      unlisten?.();
    };
  }, []);

  if (!problem) return null;
  return (
    <div
      role="alert"
      className="fixed inset-x-0 top-0 z-40 flex items-center gap-3 bg-amber-100 px-4 py-2 text-sm text-amber-900 shadow dark:bg-amber-900 dark:text-amber-50"
    >
      <span className="min-w-0 flex-1">
        <strong className="font-semibold">WhatsApp account needs attention.</strong> Media from customers cannot be
        downloaded until the access token is fixed. <span className="text-xs opacity-80">{problem}</span>
      </span>
      <button type="button" className="rounded px-2 py-0.5 font-medium hover:bg-black/10" onClick={() => setProblem(null)}>
        Dismiss
      </button>
    </div>
  );
}
