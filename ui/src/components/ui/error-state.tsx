import type { IpcError } from "../../bindings";
import { AlertIcon } from "./icons";

/** A failed read: says what went wrong and offers to try again. Never a blank area. */
export function ErrorState({ title, error, onRetry }: { title: string; error: IpcError; onRetry: () => void }) {
  return (
    <div role="alert" data-testid="error-state" className="flex flex-col items-center gap-3 px-6 py-10 text-center">
      <AlertIcon className="size-8 text-red-600 dark:text-red-400" />
      <p className="font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
      <p className="max-w-sm text-sm text-zinc-600 dark:text-zinc-400">{error.message}</p>
      <button
        type="button"
        onClick={onRetry}
        className="rounded-full bg-emerald-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
      >
        Try again
      </button>
    </div>
  );
}
