import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Message } from "../../../bindings";
import { buildConversation, buildMessage, NOW_SECONDS } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW_SECONDS * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

/** Renders the app with one conversation, opens it, and returns its message bubbles. */
async function openThread(messages: Message[], overrides: Parameters<typeof buildConversation>[0] = {}) {
  const backend = installFakeBackend({
    conversations: [buildConversation({ id: 1, contactName: "Dana", ...overrides })],
    messages: { 1: messages.map((message) => ({ ...message, conversationId: 1 })) },
  });
  const view = renderApp();
  await view.user.click(await screen.findByRole("option", { name: "Dana" }));
  const log = await screen.findByRole("log", { name: "Messages" });
  return { ...view, backend, log };
}

const bubbles = () => screen.getAllByTestId("message");

describe("thread", () => {
  it("asks to pick a conversation while none is open", async () => {
    installFakeBackend({ conversations: [buildConversation({ contactName: "Dana" })] });
    renderApp();
    await screen.findByRole("option", { name: "Dana" });
    expect(screen.queryByTestId("thread")).not.toBeInTheDocument();
    expect(within(screen.getByRole("main")).getByTestId("empty-state")).toHaveTextContent("Select a conversation");
  });

  it("selecting a conversation shows its header and messages and marks it read", async () => {
    const { backend, log } = await openThread(
      [buildMessage({ id: 1, body: "Is the shop open?" }), buildMessage({ id: 2, direction: "out", body: "Until 8pm" })],
      { unreadCount: 1, waId: "15551234567", businessName: "Corner Bakery" },
    );
    const header = screen.getByTestId("thread-header");
    expect(within(header).getByRole("heading", { name: "Dana" })).toBeInTheDocument();
    expect(header).toHaveTextContent("+1 555-123-4567");
    expect(header).toHaveTextContent("On Corner Bakery");
    expect(within(log).getByText("Is the shop open?")).toBeInTheDocument();
    expect(bubbles().map((bubble) => bubble.dataset["direction"])).toEqual(["in", "out"]);
    await waitFor(() => expect(backend.callsTo("mark_conversation_read")).toEqual([{ command: "mark_conversation_read", args: { conversationId: 1 } }]));
    expect(backend.callsTo("list_messages")[0]?.args).toEqual({ conversationId: 1, before: null, limit: 50 });
    // Reading refreshes the list, so the badge goes away.
    await waitFor(() => expect(screen.queryByTestId("unread-badge")).not.toBeInTheDocument());
  });

  it("marks a chat that was marked unread as read, once", async () => {
    const { backend } = await openThread([buildMessage({ id: 1 })], { unreadCount: 0, markedUnread: true });
    await waitFor(() => expect(backend.callsTo("mark_conversation_read")).toHaveLength(1));
    await waitFor(() => expect(screen.queryByTestId("marked-unread")).not.toBeInTheDocument());
    expect(backend.callsTo("mark_conversation_read")).toHaveLength(1);
  });

  it("does not mark an already-read conversation again", async () => {
    const { backend } = await openThread([buildMessage({ id: 1 })], { unreadCount: 0, markedUnread: false });
    await screen.findByText("Message 1");
    expect(backend.callsTo("mark_conversation_read")).toHaveLength(0);
  });

  it("says so when a conversation has no messages", async () => {
    installFakeBackend({ conversations: [buildConversation({ id: 1, contactName: "Dana" })], messages: { 1: [] } });
    const { user } = renderApp();
    await user.click(await screen.findByRole("option", { name: "Dana" }));
    const thread = await screen.findByTestId("thread");
    expect(await within(thread).findByTestId("empty-state")).toHaveTextContent("No messages yet");
  });

  it("shows a loading skeleton, then the error with a retry that loads the messages", async () => {
    const backend = installFakeBackend({
      conversations: [buildConversation({ id: 1, contactName: "Dana" })],
      messages: { 1: [buildMessage({ id: 1, body: "Finally here" })] },
    });
    backend.failures.list_messages = { code: "internal", message: "Could not read messages from the database." };
    backend.held.add("list_messages");
    const { user } = renderApp();
    await user.click(await screen.findByRole("option", { name: "Dana" }));
    expect(await screen.findByRole("status", { name: "Loading messages" })).toBeInTheDocument();
    backend.release();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not read messages from the database.");
    backend.held.clear();
    delete backend.failures.list_messages;
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Finally here")).toBeInTheDocument();
  });

  it("draws ticks inside outbound bubbles for every status and none on inbound ones", async () => {
    const statuses = ["pending", "sent", "delivered", "read", "played", "failed"] as const;
    await openThread([
      buildMessage({ id: 1, direction: "in", body: "hi" }),
      ...statuses.map((status, index) => buildMessage({ id: 10 + index, direction: "out", status, body: `is ${status}` })),
    ]);
    const [inbound, ...outbound] = bubbles();
    expect(inbound).toHaveAttribute("data-direction", "in");
    expect(within(inbound as HTMLElement).queryByTestId("status-ticks")).not.toBeInTheDocument();
    expect(outbound.map((bubble) => bubble.dataset["status"])).toEqual([...statuses]);
    expect(outbound.map((bubble) => within(bubble).getByTestId("status-ticks").dataset["status"])).toEqual([...statuses]);
    const read = within(outbound[3] as HTMLElement).getByTestId("status-ticks");
    expect(read).toHaveAccessibleName("Read");
    expect(read.className).toMatch(/sky/);
    expect(within(outbound[2] as HTMLElement).getByTestId("status-ticks").className).not.toMatch(/sky/);
  });

  it("shows reactions under the bubble, the quoted reply, and forwarded labels", async () => {
    await openThread([
      buildMessage({ id: 1, body: "Love it", reactions: [{ reactor: "customer", emoji: "👍" }, { reactor: "business", emoji: "❤️" }] }),
      buildMessage({ id: 2, direction: "out", body: "Thanks!", replyTo: { wamid: "wamid.1", kind: "text", text: "Love it", direction: "in" } }),
      buildMessage({ id: 3, body: "Lost quote", replyTo: { wamid: "wamid.gone", kind: null, text: null, direction: null } }),
      buildMessage({ id: 4, body: "chain", forwarded: "forwarded" }),
      buildMessage({ id: 5, body: "chain letter", forwarded: "frequently" }),
    ]);
    const [reacted, reply, lost, forwarded, frequently] = bubbles() as HTMLElement[];
    expect(within(reacted as HTMLElement).getByTestId("reactions")).toHaveAccessibleName("Reactions: 👍 from the customer, ❤️ from you");
    const quote = within(reply as HTMLElement).getByTestId("quoted-reply");
    expect(quote).toHaveTextContent("Dana");
    expect(quote).toHaveTextContent("Love it");
    expect(within(lost as HTMLElement).getByTestId("quoted-reply")).toHaveTextContent("Original message not available");
    expect(within(forwarded as HTMLElement).getByTestId("forwarded-label")).toHaveTextContent(/^Forwarded$/);
    expect(within(frequently as HTMLElement).getByTestId("forwarded-label")).toHaveTextContent("Forwarded many times");
    expect(within(reacted as HTMLElement).queryByTestId("forwarded-label")).not.toBeInTheDocument();
  });

  it("shows why a message failed", async () => {
    await openThread([
      buildMessage({
        id: 1,
        direction: "out",
        status: "failed",
        body: "Your order is ready",
        error: { code: 131047, title: "Re-engagement message", details: "More than 24 hours have passed." },
      }),
    ]);
    const error = within(bubbles()[0] as HTMLElement).getByTestId("message-error");
    expect(error).toHaveTextContent("Re-engagement message");
    expect(error).toHaveTextContent("131047");
    expect(error).toHaveTextContent("More than 24 hours have passed.");
  });

  it("keeps newlines, links only web URLs, and lets the browser pick the text direction", async () => {
    await openThread([
      buildMessage({ id: 1, body: "Line one\nLine two https://example.com/menu. Also javascript:alert(1) and www.shop.example" }),
      buildMessage({ id: 2, body: "مرحبا، هل الطلب جاهز؟" }),
    ]);
    const [latin, arabic] = screen.getAllByTestId("message-text");
    expect(latin?.textContent).toContain("Line one\nLine two");
    expect(latin).toHaveAttribute("dir", "auto");
    const links = within(latin as HTMLElement).getAllByRole("link");
    expect(links.map((link) => link.getAttribute("href"))).toEqual(["https://example.com/menu", "https://www.shop.example/"]);
    expect(links[0]).toHaveAttribute("rel", "noopener noreferrer");
    expect(arabic).toHaveAttribute("dir", "auto");
    expect(arabic).toHaveTextContent("مرحبا");
  });

  it("renders each message kind: cards, replies, notices, media and unsupported types", async () => {
    await openThread([
      buildMessage({ id: 1, kind: "location", body: null, details: { latitude: 19.35, longitude: -99.16, name: "Casa", address: "Av. Sosa 202" } }),
      buildMessage({ id: 2, kind: "contacts", body: null, details: [{ name: { formatted_name: "Ravi Kumar" }, phones: [{ phone: "+91 98765 43210" }] }] }),
      buildMessage({ id: 3, kind: "interactive", body: null, details: { type: "list_reply", list_reply: { id: "a", title: "Sourdough", description: "Large" } } }),
      buildMessage({ id: 4, kind: "button", body: "Yes, deliver", details: { payload: "YES", text: "Yes, deliver" } }),
      buildMessage({ id: 5, kind: "order", body: null, details: { catalog_id: "c", product_items: [{ product_retailer_id: "p", quantity: 3, item_price: 2.5, currency: "EUR" }] } }),
      buildMessage({ id: 6, kind: "system", body: "Customer changed their number." }),
      buildMessage({ id: 7, kind: "request_welcome", body: null }),
      buildMessage({ id: 8, kind: "document", body: null, caption: "Invoice attached", media: { mimeType: "application/pdf", fileName: "inv.pdf", sizeBytes: 2048, sha256: null, thumbnailSha256: null, lastError: null, state: "failed", voice: false, animated: false } }),
      buildMessage({ id: 9, kind: "audio", body: null, media: { mimeType: "audio/ogg", fileName: null, sizeBytes: null, sha256: null, thumbnailSha256: null, lastError: null, state: "downloading", voice: true, animated: false } }),
      buildMessage({ id: 10, kind: "unsupported", body: null, details: { type: "poll" } }),
      buildMessage({ id: 11, kind: "hologram", body: null }),
      buildMessage({ id: 13, kind: "revoked", body: null, details: { revoked_at: 1, original_kind: "image" }, media: { mimeType: "image/png", fileName: null, sizeBytes: null, sha256: null, thumbnailSha256: null, lastError: "the customer deleted the message before its file was downloaded", state: "expired", voice: false, animated: false } }),
      buildMessage({
        id: 12,
        kind: "template",
        direction: "out",
        body: "Hi Kerry, your table for 6 is confirmed.",
        details: { template: { name: "table_booking_confirmed", language: "en_US" }, header: { media: "IMAGE" }, footer: "Reply STOP to opt out", buttons: ["Manage booking"] },
      }),
    ]);
    const byKind = (kind: string) => screen.getAllByTestId("message").find((bubble) => bubble.dataset["kind"] === kind) as HTMLElement;
    expect(within(byKind("location")).getByTestId("location-card")).toHaveTextContent("Casa");
    expect(within(byKind("location")).getByRole("link")).toHaveAttribute("href", expect.stringContaining("mlat=19.35"));
    expect(within(byKind("contacts")).getByTestId("contacts-card")).toHaveTextContent("Ravi Kumar+91 98765 43210");
    expect(within(byKind("interactive")).getByTestId("reply-choice")).toHaveTextContent("List selectionSourdoughLarge");
    expect(within(byKind("button")).getByTestId("reply-choice")).toHaveTextContent("Yes, deliver");
    expect(within(byKind("order")).getByTestId("order-card")).toHaveTextContent("Order · 3 items");
    expect(within(byKind("order")).getByTestId("order-card")).toHaveTextContent("7.50");
    expect(within(byKind("system")).getByTestId("notice")).toHaveTextContent("Customer changed their number.");
    expect(within(byKind("request_welcome")).getByTestId("notice")).toHaveTextContent("opened a chat");
    const document = within(byKind("document")).getByTestId("media-card");
    expect(document).toHaveTextContent("inv.pdf");
    expect(document).toHaveTextContent("2 KB");
    expect(document).toHaveAttribute("data-media-state", "failed");
    expect(document).toHaveTextContent("Download failed");
    expect(byKind("document")).toHaveTextContent("Invoice attached");
    expect(within(byKind("audio")).getByTestId("media-card")).toHaveTextContent("Voice message");
    expect(within(byKind("unsupported")).getByTestId("unsupported-message")).toHaveTextContent("Unsupported message: poll");
    expect(within(byKind("hologram")).getByTestId("unsupported-message")).toHaveTextContent("Unsupported message: hologram");
    expect(within(byKind("revoked")).getByTestId("deleted-message"), "a deleted photo shows no file").toHaveTextContent("This message was deleted");
    expect(within(byKind("revoked")).queryByTestId("media-card")).not.toBeInTheDocument();
    const template = within(byKind("template")).getByTestId("template-message");
    expect(template).toHaveTextContent("[image]Hi Kerry, your table for 6 is confirmed.Reply STOP to opt outManage booking");
    expect(within(byKind("template")).queryByTestId("unsupported-message")).not.toBeInTheDocument();
  });

  it("separates messages by day", async () => {
    await openThread([
      buildMessage({ id: 1, body: "last week", waTimestamp: NOW_SECONDS - 10 * 86_400 }),
      buildMessage({ id: 2, body: "yesterday", waTimestamp: NOW_SECONDS - 86_400 }),
      buildMessage({ id: 3, body: "today a", waTimestamp: NOW_SECONDS - 120 }),
      buildMessage({ id: 4, body: "today b", waTimestamp: NOW_SECONDS - 60 }),
    ]);
    const labels = screen.getAllByTestId("day-separator").map((separator) => separator.textContent);
    expect(labels).toHaveLength(3);
    expect(labels[0]).toMatch(/November 8, 2026|8 November 2026/);
    expect(labels.slice(1)).toEqual(["Yesterday", "Today"]);
  });

  it("loads the older page with the cursor of the oldest message when the top is reached", async () => {
    const history = Array.from({ length: 60 }, (_, index) =>
      buildMessage({ id: index + 1, body: `m${index + 1}`, waTimestamp: NOW_SECONDS - 6000 + index * 60, seq: index + 1 }),
    );
    const { backend, log } = await openThread(history);
    await screen.findByText("m60");
    // Opened at the bottom: nothing older is fetched until the reader scrolls up.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.callsTo("list_messages")).toHaveLength(1);
    expect(screen.queryByText("m1")).not.toBeInTheDocument();
    log.scrollTop = 0;
    fireEvent.scroll(log);
    await waitFor(() => expect(backend.callsTo("list_messages")).toHaveLength(2));
    const [first, second] = backend.callsTo("list_messages");
    expect(first?.args).toEqual({ conversationId: 1, before: null, limit: 50 });
    expect(second?.args).toEqual({ conversationId: 1, before: { waTimestamp: history[10]?.waTimestamp, seq: 11 }, limit: 50 });
    expect(await screen.findByText("Start of the conversation")).toBeInTheDocument();
    expect(screen.getByText("m1")).toBeInTheDocument();
  });
});
