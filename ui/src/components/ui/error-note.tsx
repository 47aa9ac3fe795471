import { toIpcError } from "../../lib/ipc-error";
import { cx } from "../../lib/cx";

/** One line saying why something failed, read out as it appears; nothing without an error. */
export function ErrorNote({ error, className }: { error: unknown; className?: string }) {
  if (error === null || error === undefined) return null;
  return (
    <p role="alert" className={cx("text-sm text-red-700 dark:text-red-300", className)}>
      {toIpcError(error).message}
    </p>
  );
}
