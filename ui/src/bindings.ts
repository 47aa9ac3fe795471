// Typed IPC surface of the Rust shell. This file is generated from Rust by tauri-specta;
// the UI depends only on the names and types exported here.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

export const commands = {
  listConversations(): Promise<ConversationSummary[]> {
    return invoke("list_conversations");
  },
  listMessages(conversationId: number, before: MessageCursor | null, limit: number): Promise<MessagePage> {
    return invoke("list_messages", { conversationId, before, limit });
  },
  markConversationRead(conversationId: number): Promise<null> {
    return invoke("mark_conversation_read", { conversationId });
  },
  appInfo(): Promise<AppInfo> {
    return invoke("app_info");
  },
};

export const events = {
  conversationsChanged: {
    listen(cb: (e: { payload: ConversationsChanged }) => void): Promise<UnlistenFn> {
      return listen<ConversationsChanged>("conversations-changed", cb);
    },
  },
  messagesChanged: {
    listen(cb: (e: { payload: MessagesChanged }) => void): Promise<UnlistenFn> {
      return listen<MessagesChanged>("messages-changed", cb);
    },
  },
};

export type ConversationsChanged = { conversationIds: number[] };
export type MessagesChanged = { conversationId: number; messageIds: number[] };
export type IpcError = { code: ErrorCode; message: string };
export type ErrorCode = "notFound" | "invalidInput" | "unavailable" | "internal";
export type AppInfo = { version: string; dataDir: string; webhookPort: number | null };
export type Direction = "in" | "out";
export type MessageStatus = "pending" | "sent" | "delivered" | "read" | "played" | "failed";
export type Forwarded = "no" | "forwarded" | "frequently";
export type MessagePreview = {
  kind: string;
  text: string | null;
  direction: Direction;
  status: MessageStatus | null;
  waTimestamp: number;
};
export type ConversationSummary = {
  id: number;
  phoneNumberId: string;
  businessName: string | null;
  contactId: number;
  contactName: string | null;
  waId: string | null;
  userId: string | null;
  username: string | null;
  lastMessage: MessagePreview | null;
  lastMessageAt: number | null;
  unreadCount: number;
  markedUnread: boolean;
  pinned: boolean;
  archived: boolean;
  muted: boolean;
  lastInboundAt: number | null;
};
export type MessageCursor = { waTimestamp: number; seq: number };
export type MessagePage = { messages: Message[]; hasMore: boolean; nextCursor: MessageCursor | null };
export type Reaction = { reactor: "customer" | "business"; emoji: string };
export type QuotedMessage = { wamid: string; kind: string | null; text: string | null; direction: Direction | null };
export type MessageError = { code: number | null; title: string | null; details: string | null };
export type StatusTimes = {
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  playedAt: number | null;
  failedAt: number | null;
};
export type MediaInfo = {
  mimeType: string | null;
  fileName: string | null;
  sizeBytes: number | null;
  state: "pending" | "downloading" | "downloaded" | "failed" | "expired" | "local";
  voice: boolean;
  animated: boolean;
};
export type Message = {
  id: number;
  conversationId: number;
  wamid: string | null;
  direction: Direction;
  kind: string;
  body: string | null;
  caption: string | null;
  details: JsonValue | null;
  replyTo: QuotedMessage | null;
  forwarded: Forwarded;
  waTimestamp: number;
  seq: number;
  status: MessageStatus | null;
  statusTimes: StatusTimes;
  error: MessageError | null;
  reactions: Reaction[];
  media: MediaInfo | null;
};
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key in string]: JsonValue };
