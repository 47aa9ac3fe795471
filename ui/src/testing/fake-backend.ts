import { mockIPC } from "@tauri-apps/api/mocks";
import type { ConversationSummary, IpcError, Message, MessageCursor, MessagePage } from "../bindings";

type CommandName =
  | "list_conversations"
  | "list_messages"
  | "mark_conversation_read"
  | "app_info"
  | "retry_media_download"
  | "open_media"
  | "save_media_as";
type RecordedCall = { command: string; args: Record<string, unknown> };

/**
 * An in-memory stand-in for the Rust commands, wired through Tauri's IPC mock, so
 * components run their real fetchers and bindings.
 */
export type FakeBackend = {
  conversations: ConversationSummary[];
  /** Per conversation, oldest first. */
  messages: Map<number, Message[]>;
  calls: RecordedCall[];
  /** Commands that reject with the given error until cleared. */
  failures: Partial<Record<CommandName, IpcError>>;
  /** Commands whose responses wait until `release()` is called. */
  held: Set<CommandName>;
  release: () => void;
  callsTo: (command: CommandName) => RecordedCall[];
};

function isOlder(message: Message, cursor: MessageCursor): boolean {
  return message.waTimestamp < cursor.waTimestamp || (message.waTimestamp === cursor.waTimestamp && message.seq < cursor.seq);
}

export function pageOf(all: readonly Message[], before: MessageCursor | null, limit: number): MessagePage {
  const sorted = [...all].sort((a, b) => a.waTimestamp - b.waTimestamp || a.seq - b.seq);
  const eligible = before ? sorted.filter((message) => isOlder(message, before)) : sorted;
  const messages = eligible.slice(Math.max(0, eligible.length - limit));
  const hasMore = eligible.length > messages.length;
  const oldest = messages[0];
  return {
    messages,
    hasMore,
    nextCursor: hasMore && oldest ? { waTimestamp: oldest.waTimestamp, seq: oldest.seq } : null,
  };
}

export function installFakeBackend(
  seed: { conversations?: ConversationSummary[]; messages?: Record<number, Message[]> } = {},
): FakeBackend {
  let waiting: Array<() => void> = [];
  const backend: FakeBackend = {
    conversations: seed.conversations ?? [],
    messages: new Map(Object.entries(seed.messages ?? {}).map(([id, list]) => [Number(id), list])),
    calls: [],
    failures: {},
    held: new Set(),
    release: () => {
      const pending = waiting;
      waiting = [];
      for (const resume of pending) resume();
    },
    callsTo: (command) => backend.calls.filter((call) => call.command === command),
  };

  const respond = (command: CommandName, args: Record<string, unknown>): unknown => {
    const failure = backend.failures[command];
    if (failure) throw failure;
    switch (command) {
      case "list_conversations":
        return structuredClone(backend.conversations);
      case "list_messages": {
        const conversationId = Number(args["conversationId"]);
        const before = (args["before"] ?? null) as MessageCursor | null;
        const limit = Number(args["limit"]);
        return structuredClone(pageOf(backend.messages.get(conversationId) ?? [], before, limit));
      }
      case "mark_conversation_read": {
        const conversationId = Number(args["conversationId"]);
        backend.conversations = backend.conversations.map((conversation) =>
          conversation.id === conversationId ? { ...conversation, unreadCount: 0, markedUnread: false } : conversation,
        );
        return null;
      }
      case "app_info":
        return { version: "0.1.0", dataDir: "/tmp/chatsphere", webhookPort: null };
      case "retry_media_download":
      case "open_media":
        return null;
      case "save_media_as":
        return true;
    }
  };

  mockIPC(
    async (command, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      backend.calls.push({ command, args });
      const known = command as CommandName;
      if (backend.held.has(known)) await new Promise<void>((resume) => waiting.push(resume));
      return respond(known, args);
    },
    { shouldMockEvents: true },
  );
  return backend;
}
