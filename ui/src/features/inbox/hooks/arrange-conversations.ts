import type { ConversationSummary } from "../../../bindings";
import { displayName } from "../../../lib/contact-name";

export type ArrangedConversations = {
  /** The rows to show, pinned first, then most recent first. */
  visible: ConversationSummary[];
  /** How many archived conversations the current search matches. */
  archivedCount: number;
  /** Archived conversations with unread messages, for the "Archived" row's hint. */
  archivedUnread: number;
};

function recency(conversation: ConversationSummary): number {
  return conversation.lastMessageAt ?? Number.NEGATIVE_INFINITY;
}

function byPinnedThenRecent(a: ConversationSummary, b: ConversationSummary): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  const difference = recency(b) - recency(a);
  if (difference !== 0) return difference;
  return b.id - a.id;
}

/** Case- and accent-insensitive; digits also match the number without formatting. */
export function matchesSearch(conversation: ConversationSummary, query: string): boolean {
  const needle = normalise(query.trim());
  if (needle === "") return true;
  const haystacks = [displayName(conversation), conversation.contactName, conversation.username, conversation.waId, conversation.userId];
  if (haystacks.some((value) => value && normalise(value).includes(needle))) return true;
  const digits = query.replace(/\D/g, "");
  return digits.length > 0 && (conversation.waId ?? "").includes(digits);
}

function normalise(value: string): string {
  return value.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export function arrangeConversations(
  conversations: readonly ConversationSummary[],
  { query, showArchived }: { query: string; showArchived: boolean },
): ArrangedConversations {
  const matching = conversations.filter((conversation) => matchesSearch(conversation, query));
  const archived = matching.filter((conversation) => conversation.archived);
  const pool = showArchived ? archived : matching.filter((conversation) => !conversation.archived);
  return {
    visible: [...pool].sort(byPinnedThenRecent),
    archivedCount: archived.length,
    archivedUnread: archived.filter((conversation) => conversation.unreadCount > 0 || conversation.markedUnread).length,
  };
}
