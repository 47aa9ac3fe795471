import type { QuotedMessage } from "../../../bindings";
import { kindLabel } from "../../../lib/message-kinds";

/** The block at the top of a bubble that quotes the message being replied to. */
export function QuotedReply({ quoted, contactName }: { quoted: QuotedMessage; contactName: string }) {
  const known = quoted.direction !== null;
  const author = quoted.direction === "out" ? "You" : quoted.direction === "in" ? contactName : null;
  const text =
    quoted.text?.trim() ||
    (quoted.kind ? (kindLabel(quoted.kind) ?? `Unsupported message: ${quoted.kind}`) : null) ||
    "Original message not available";
  return (
    <blockquote
      data-testid="quoted-reply"
      className="mb-1 overflow-hidden rounded-md border-l-4 border-emerald-600 bg-black/5 px-2 py-1 text-sm dark:border-emerald-400 dark:bg-white/10"
    >
      {author ? <p className="font-medium text-emerald-700 dark:text-emerald-400">{author}</p> : null}
      <p dir="auto" className={`line-clamp-3 whitespace-pre-wrap break-words ${known ? "" : "italic"} text-zinc-700 dark:text-zinc-300`}>
        {text}
      </p>
    </blockquote>
  );
}
