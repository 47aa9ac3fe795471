import type { Message } from "../../../bindings";
import { kindLabel } from "../../../lib/message-kinds";

/** The quoted message above the text box while replying, with a way out. */
export function ReplyPreview({ message, contactName, onCancel }: { message: Message; contactName: string; onCancel: () => void }) {
  const text = message.body?.trim() || message.caption?.trim() || kindLabel(message.kind) || message.kind;
  return (
    <div
      data-testid="reply-preview"
      className="mx-3 mt-2 flex items-start gap-2 rounded-md border-l-4 border-emerald-600 bg-black/5 px-2 py-1 text-sm dark:border-emerald-400 dark:bg-white/10"
    >
      <div className="min-w-0 flex-1">
        <p className="font-medium text-emerald-700 dark:text-emerald-400">{message.direction === "out" ? "You" : contactName}</p>
        <p dir="auto" className="truncate text-zinc-700 dark:text-zinc-300">
          {text}
        </p>
      </div>
      <button
        type="button"
        onClick={onCancel}
        aria-label="Cancel reply"
        className="rounded px-1.5 text-zinc-500 hover:bg-black/10 hover:text-zinc-800 dark:hover:bg-white/10"
      >
        ✕
      </button>
    </div>
  );
}
