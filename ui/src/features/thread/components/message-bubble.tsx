import { useState } from "react";
import type { Message, MessageError, Reaction } from "../../../bindings";
import { AlertIcon, ForwardIcon } from "../../../components/ui/icons";
import { StatusTicks } from "../../../components/ui/status-ticks";
import { cx } from "../../../lib/cx";
import { formatClock, formatFullTimestamp } from "../../../lib/format-time";
import { MessageBody, isNoticeKind, noticeText } from "./message-body";
import { MessageCost } from "./message-cost";
import { useThreadActions } from "../thread-actions";
import { QuotedReply } from "./quoted-reply";

/** The reactions offered in a message's menu, as in WhatsApp. */
const QUICK_REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"];
/** Refusals that sending again cannot fix. */
const FINAL_CODES = new Set([131026, 131050, 132015, 132016]);

type MessageBubbleProps = { message: Message; contactName: string; firstOfGroup: boolean };

export function MessageBubble({ message, contactName, firstOfGroup }: MessageBubbleProps) {
  const outbound = message.direction === "out";
  const commonAttributes = {
    "data-testid": "message",
    "data-message-id": message.id,
    "data-direction": message.direction,
    "data-status": message.status ?? undefined,
    "data-kind": message.kind,
  };

  if (isNoticeKind(message.kind)) {
    return (
      <div {...commonAttributes} className="flex justify-center px-4 py-1">
        <p
          dir="auto"
          data-testid="notice"
          className="max-w-md rounded-lg bg-amber-50 px-3 py-1.5 text-center text-xs text-zinc-700 shadow-sm dark:bg-zinc-800 dark:text-zinc-300"
        >
          {noticeText(message)}
        </p>
      </div>
    );
  }

  return (
    <div
      {...commonAttributes}
      className={cx("group flex flex-col px-[6%]", outbound ? "items-end" : "items-start", firstOfGroup ? "pt-2" : "pt-0.5")}
    >
      <div
        className={cx(
          "relative max-w-[min(65%,34rem)] rounded-lg px-2 pb-1.5 pt-1.5 text-[14.5px] leading-snug text-zinc-900 shadow-sm dark:text-zinc-100",
          outbound ? "bg-[#d9fdd3] dark:bg-[#005c4b]" : "bg-white dark:bg-zinc-800",
          firstOfGroup && (outbound ? "rounded-tr-none" : "rounded-tl-none"),
        )}
      >
        {message.forwarded !== "no" ? (
          <p data-testid="forwarded-label" className="mb-0.5 flex items-center gap-1 text-xs italic text-zinc-500 dark:text-zinc-400">
            <ForwardIcon className="size-3.5" />
            {message.forwarded === "frequently" ? "Forwarded many times" : "Forwarded"}
          </p>
        ) : null}
        {message.replyTo ? <QuotedReply quoted={message.replyTo} contactName={contactName} /> : null}
        <MessageBody message={message} />
        {message.status === "failed" || message.error ? <FailureNote message={message} /> : null}
        <p className="mt-0.5 flex items-center justify-end gap-1 text-[11px] text-zinc-500 dark:text-zinc-400">
          {outbound && message.pricing ? <MessageCost pricing={message.pricing} /> : null}
          <time dateTime={new Date(message.waTimestamp * 1000).toISOString()} title={formatFullTimestamp(message.waTimestamp)}>
            {formatClock(message.waTimestamp)}
          </time>
          {outbound && message.status ? <StatusTicks status={message.status} /> : null}
        </p>
      </div>
      {message.reactions.length > 0 ? <ReactionsChip reactions={message.reactions} /> : null}
      {message.wamid ? <MessageMenu message={message} /> : null}
    </div>
  );
}

/** Reply and react, for a message WhatsApp knows (it has a wamid). */
function MessageMenu({ message }: { message: Message }) {
  const actions = useThreadActions();
  const [picking, setPicking] = useState(false);
  if (!actions) return null;
  const mine = message.reactions.find((reaction) => reaction.reactor === "business")?.emoji ?? null;
  return (
    <div
      data-testid="message-menu"
      // Out of the way until the pointer or keyboard focus reaches the message, as in WhatsApp.
      className="mx-1 flex items-center gap-1 text-xs text-zinc-500 opacity-0 transition-opacity focus-within:opacity-100 group-hover:opacity-100 dark:text-zinc-400"
    >
      <button type="button" onClick={() => actions.replyTo(message)} className="rounded px-1 hover:bg-black/5 dark:hover:bg-white/10">
        Reply
      </button>
      <button
        type="button"
        aria-expanded={picking}
        onClick={() => setPicking((shown) => !shown)}
        className="rounded px-1 hover:bg-black/5 dark:hover:bg-white/10"
      >
        React
      </button>
      {picking ? (
        <span role="group" aria-label="Reactions to choose from" className="flex gap-0.5">
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              aria-label={mine === emoji ? `Remove ${emoji}` : `React ${emoji}`}
              aria-pressed={mine === emoji}
              onClick={() => {
                actions.react(message, mine === emoji ? "" : emoji);
                setPicking(false);
              }}
              className="rounded px-0.5 text-base hover:bg-black/5 dark:hover:bg-white/10"
            >
              {emoji}
            </button>
          ))}
        </span>
      ) : null}
    </div>
  );
}

function canSendAgain(message: Message): boolean {
  if (message.sendState === "uncertain") return true;
  if (message.sendState !== "failed") return false;
  return !FINAL_CODES.has(message.error?.code ?? 0);
}

function FailureNote({ message }: { message: Message }) {
  const actions = useThreadActions();
  const error: MessageError | null = message.error;
  const title = error?.title ?? "Not delivered";
  return (
    <div
      data-testid="message-error"
      className="mt-1 flex gap-1.5 rounded-md bg-red-50 px-2 py-1 text-xs text-red-800 dark:bg-red-950/60 dark:text-red-200"
    >
      <AlertIcon className="mt-px size-3.5 shrink-0" />
      <span>
        <span className="font-medium">{title}</span>
        {error?.code != null ? <span className="opacity-75"> (error {error.code})</span> : null}
        {error?.details ? <span className="block">{error.details}</span> : null}
        {actions && canSendAgain(message) ? (
          <button
            type="button"
            onClick={() => actions.resend(message)}
            className="mt-0.5 block font-medium underline hover:no-underline"
          >
            Send again
          </button>
        ) : null}
      </span>
    </div>
  );
}

function ReactionsChip({ reactions }: { reactions: Reaction[] }) {
  const describe = reactions
    .map((reaction) => `${reaction.emoji} from ${reaction.reactor === "business" ? "you" : "the customer"}`)
    .join(", ");
  return (
    <p
      data-testid="reactions"
      aria-label={`Reactions: ${describe}`}
      className="-mt-1 mx-2 flex gap-0.5 rounded-full border border-zinc-200 bg-white px-1.5 py-0.5 text-sm shadow-sm dark:border-zinc-700 dark:bg-zinc-800"
    >
      {reactions.map((reaction, index) => (
        <span key={`${reaction.reactor}-${index}`}>{reaction.emoji}</span>
      ))}
    </p>
  );
}
