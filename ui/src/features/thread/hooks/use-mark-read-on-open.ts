import { useEffect } from "react";
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
  useEffect(() => {
    if (hasUnread) mutate(id);
  }, [id, hasUnread, mutate]);
}
