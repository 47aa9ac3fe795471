import type { CSSProperties } from "react";
import type { ConversationSummary } from "../../../bindings";
import { Avatar } from "../../../components/ui/avatar";
import { MuteIcon, PinIcon } from "../../../components/ui/icons";
import { displayName } from "../../../lib/contact-name";
import { cx } from "../../../lib/cx";
import { formatListTime } from "../../../lib/format-time";
import { MessagePreview } from "./message-preview";

export function conversationOptionId(conversationId: number): string {
  return `conversation-option-${conversationId}`;
}

type ConversationRowProps = {
  conversation: ConversationSummary;
  selected: boolean;
  active: boolean;
  onSelect: () => void;
  style: CSSProperties;
  now: Date;
};

export function ConversationRow({ conversation, selected, active, onSelect, style, now }: ConversationRowProps) {
  const name = displayName(conversation);
  const optionId = conversationOptionId(conversation.id);
  const unread = conversation.unreadCount > 0;
  const highlightTime = unread || conversation.markedUnread;
  return (
    <div
      id={optionId}
      role="option"
      aria-selected={selected}
      aria-labelledby={`${optionId}-name`}
      aria-describedby={`${optionId}-details`}
      data-testid="conversation-row"
      data-conversation-id={conversation.id}
      data-pinned={conversation.pinned}
      data-active={active || undefined}
      onClick={onSelect}
      style={style}
      className={cx(
        "absolute left-0 top-0 flex w-full cursor-pointer items-center gap-3 px-3",
        selected ? "bg-zinc-200 dark:bg-zinc-700/70" : "hover:bg-zinc-100 dark:hover:bg-zinc-800",
        active &&
          "group-focus-visible:outline-2 group-focus-visible:-outline-offset-2 group-focus-visible:outline-emerald-600",
      )}
    >
      <Avatar name={name} seed={conversation.contactId} />
      <div className="flex h-full min-w-0 flex-1 flex-col justify-center gap-0.5 border-b border-zinc-200 dark:border-zinc-800">
        <div className="flex items-baseline justify-between gap-2">
          <span id={`${optionId}-name`} className="truncate text-[15px] text-zinc-900 dark:text-zinc-100" dir="auto">
            {name}
          </span>
          {conversation.lastMessageAt !== null ? (
            <time
              dateTime={new Date(conversation.lastMessageAt * 1000).toISOString()}
              className={cx(
                "shrink-0 text-xs",
                highlightTime ? "font-medium text-emerald-600 dark:text-emerald-400" : "text-zinc-500 dark:text-zinc-400",
              )}
            >
              {formatListTime(conversation.lastMessageAt, now)}
            </time>
          ) : null}
        </div>
        <div
          id={`${optionId}-details`}
          className="flex items-center justify-between gap-2 text-sm text-zinc-600 dark:text-zinc-400"
        >
          <MessagePreview preview={conversation.lastMessage} />
          <span className="flex shrink-0 items-center gap-1.5">
            {conversation.muted ? (
              <MuteIcon role="img" aria-hidden={false} aria-label="Muted" className="size-4 text-zinc-400" />
            ) : null}
            {conversation.pinned ? (
              <PinIcon role="img" aria-hidden={false} aria-label="Pinned" className="size-4 text-zinc-400" />
            ) : null}
            {unread ? (
              <span
                data-testid="unread-badge"
                aria-label={`${conversation.unreadCount} unread ${conversation.unreadCount === 1 ? "message" : "messages"}`}
                className={cx(
                  "inline-flex h-5 min-w-5 items-center justify-center rounded-full px-1.5 text-xs font-semibold text-white",
                  conversation.muted ? "bg-zinc-400 dark:bg-zinc-500" : "bg-emerald-500",
                )}
              >
                {conversation.unreadCount > 999 ? "999+" : conversation.unreadCount}
              </span>
            ) : conversation.markedUnread ? (
              <span
                data-testid="marked-unread"
                role="img"
                aria-label="Marked as unread"
                className="inline-block size-3 rounded-full bg-emerald-500"
              />
            ) : null}
          </span>
        </div>
      </div>
    </div>
  );
}
