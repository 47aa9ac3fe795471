import { emit } from "@tauri-apps/api/event";
import { buildMessage } from "./factories";
import { installFakeBackend } from "./fake-backend";
import { sampleInbox } from "./sample-data";

/**
 * Backs the `preview-mock` build (vite --mode preview-mock) with sample data so the UI
 * can be looked at in a plain browser. Never part of a production build.
 */
export function installPreviewBackend() {
  const backend = installFakeBackend(sampleInbox(Math.floor(Date.now() / 1000)));
  const params = new URLSearchParams(window.location.search);
  if (params.get("state") === "empty") backend.conversations = [];
  if (params.get("state") === "error") backend.failures.list_conversations = { code: "unavailable", message: "The database is locked by another process." };
  // ?open=<id> opens a conversation once the list has rendered, for screenshots.
  const open = params.get("open");
  if (open) {
    const timer = window.setInterval(() => {
      const row = document.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(open)}"]`);
      if (row) {
        window.clearInterval(timer);
        row.click();
        // ?scroll=top then scrolls the thread to its top, which pages in older messages.
        if (params.get("scroll") === "top") {
          window.setTimeout(() => document.querySelector('[role="log"]')?.scrollTo({ top: 0 }), 800);
        }
      }
    }, 50);
  }
  // ?live=1 simulates a customer writing every few seconds, exercising the event path.
  if (params.get("live") === "1") {
    let count = 0;
    window.setInterval(() => {
      count += 1;
      const list = backend.messages.get(2) ?? [];
      const message = buildMessage({ id: 9000 + count, conversationId: 2, seq: 9000 + count, body: `Live message ${count}`, waTimestamp: Math.floor(Date.now() / 1000) });
      backend.messages.set(2, [...list, message]);
      backend.conversations = backend.conversations.map((conversation) =>
        conversation.id === 2
          ? {
              ...conversation,
              lastMessage: { kind: "text", text: message.body, direction: "in", status: null, waTimestamp: message.waTimestamp },
              lastMessageAt: message.waTimestamp,
              lastInboundAt: message.waTimestamp,
            }
          : conversation,
      );
      void emit("messages-changed", { conversationId: 2, messageIds: [message.id] });
    }, 4000);
  }
}
