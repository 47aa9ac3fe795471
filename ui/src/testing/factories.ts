import type { ConversationSummary, Message, MessagePreview } from "../bindings";

/** A fixed "now" for tests: Wednesday 2026-11-18 15:30 UTC. */
export const NOW_SECONDS = Date.UTC(2026, 10, 18, 15, 30) / 1000;

let nextId = 1000;
const uniqueId = () => (nextId += 1);

export function buildPreview(overrides: Partial<MessagePreview> = {}): MessagePreview {
  return {
    kind: "text",
    text: "Hello there",
    direction: "in",
    status: null,
    waTimestamp: NOW_SECONDS - 600,
    ...overrides,
  };
}

export function buildConversation(overrides: Partial<ConversationSummary> = {}): ConversationSummary {
  const id = overrides.id ?? uniqueId();
  const lastMessage = overrides.lastMessage === undefined ? buildPreview() : overrides.lastMessage;
  return {
    id,
    phoneNumberId: "106540352242922",
    businessName: "Corner Bakery",
    contactId: id + 5000,
    contactName: `Customer ${id}`,
    waId: `1555000${String(id).padStart(4, "0")}`,
    userId: null,
    username: null,
    lastMessage,
    lastMessageAt: lastMessage?.waTimestamp ?? null,
    unreadCount: 0,
    markedUnread: false,
    pinned: false,
    archived: false,
    muted: false,
    lastInboundAt: lastMessage?.direction === "in" ? lastMessage.waTimestamp : null,
    ...overrides,
  };
}

export function buildMessage(overrides: Partial<Message> = {}): Message {
  const id = overrides.id ?? uniqueId();
  const direction = overrides.direction ?? "in";
  return {
    id,
    conversationId: 1,
    wamid: `wamid.TEST${id}`,
    direction,
    kind: "text",
    body: `Message ${id}`,
    caption: null,
    details: null,
    replyTo: null,
    forwarded: "no",
    waTimestamp: NOW_SECONDS - 3600 + id,
    seq: id,
    status: direction === "out" ? "delivered" : null,
    statusTimes: { sentAt: null, deliveredAt: null, readAt: null, playedAt: null, failedAt: null },
    error: null,
    reactions: [],
    media: null,
    sendState: null,
    pricing: null,
    ...overrides,
  };
}
