import { useEffect, useRef } from "react";
import type { ConversationSummary } from "../../../bindings";
import { useMarkConversationRead } from "../api/mark-conversation-read";

/**
 * Opening a conversation reads it. If new messages arrive while it stays open, the
 * unread state flips back on and it is read again.
 */
export function useMarkReadOnOpen(conversation: ConversationSummary) {
  const { mutate } = useMarkConversationRead();
  const hasUnread = conversation.unreadCount > 0 || conversation.markedUnread;
  const { id } = conversation;
  // Remembers that this unread spell was already reported, so a re-run of the effect
  // (StrictMode, a re-render before the list refreshes) does not send it twice.
  const reported = useRef<number | null>(null);
  useEffect(() => {
    if (!hasUnread) {
      reported.current = null;
      return;
    }
    if (reported.current === id) return;
    reported.current = id;
    mutate(id);
  }, [id, hasUnread, mutate]);
}
