import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { buildConversation, buildPreview, NOW_SECONDS } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW_SECONDS * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

const optionNames = () =>
  screen.getAllByRole("option").map((option) => option.querySelector("[id$='-name']")?.textContent);

describe("conversation list", () => {
  it("lists pinned conversations first, then the most recent first", async () => {
    installFakeBackend({
      conversations: [
        buildConversation({ id: 1, contactName: "Old", lastMessageAt: NOW_SECONDS - 9000 }),
        buildConversation({ id: 2, contactName: "Pinned but old", pinned: true, lastMessageAt: NOW_SECONDS - 99_000 }),
        buildConversation({ id: 3, contactName: "Newest", lastMessageAt: NOW_SECONDS - 60 }),
      ],
    });
    renderApp();
    await screen.findByRole("listbox", { name: "Conversations" });
    expect(optionNames()).toEqual(["Pinned but old", "Newest", "Old"]);
    const pinned = screen.getByRole("option", { name: "Pinned but old" });
    expect(within(pinned).getByRole("img", { name: "Pinned" })).toBeInTheDocument();
  });

  it("shows the unread count as a badge and a dot for chats marked unread", async () => {
    installFakeBackend({
      conversations: [
        buildConversation({ contactName: "Three unread", unreadCount: 3 }),
        buildConversation({ contactName: "Marked", markedUnread: true }),
        buildConversation({ contactName: "All read" }),
        buildConversation({ contactName: "Quiet", muted: true, unreadCount: 1 }),
      ],
    });
    renderApp();
    const unread = await screen.findByRole("option", { name: "Three unread" });
    expect(within(unread).getByLabelText("3 unread messages")).toHaveTextContent("3");
    const marked = screen.getByRole("option", { name: "Marked" });
    expect(within(marked).getByRole("img", { name: "Marked as unread" })).toBeInTheDocument();
    expect(within(marked).queryByTestId("unread-badge")).not.toBeInTheDocument();
    expect(within(screen.getByRole("option", { name: "All read" })).queryByTestId("unread-badge")).not.toBeInTheDocument();
    const quiet = screen.getByRole("option", { name: "Quiet" });
    expect(within(quiet).getByRole("img", { name: "Muted" })).toBeInTheDocument();
    expect(within(quiet).getByLabelText("1 unread message")).toBeInTheDocument();
  });

  it("names a chat by number, then @username, then the user id when the contact has no name", async () => {
    installFakeBackend({
      conversations: [
        buildConversation({ contactName: null, waId: "15551234567", username: "ignored" }),
        buildConversation({ contactName: null, waId: null, username: "priya.designs", userId: "US.1" }),
        buildConversation({ contactName: null, waId: null, username: null, userId: "US.13491208655302741918" }),
      ],
    });
    renderApp();
    expect(await screen.findByRole("option", { name: "+1 555-123-4567" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "@priya.designs" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "US.13491208655302741918" })).toBeInTheDocument();
  });

  it("shows today's time, yesterday, the weekday, and older dates", async () => {
    installFakeBackend({
      conversations: [
        buildConversation({ contactName: "Today", lastMessageAt: NOW_SECONDS - 3600 }),
        buildConversation({ contactName: "Yesterday", lastMessageAt: NOW_SECONDS - 86_400 }),
        buildConversation({ contactName: "Weekday", lastMessageAt: NOW_SECONDS - 3 * 86_400 }),
        buildConversation({ contactName: "Long ago", lastMessageAt: NOW_SECONDS - 30 * 86_400 }),
      ],
    });
    renderApp();
    const time = async (name: string) => within(await screen.findByRole("option", { name })).getByText((_, element) => element?.tagName === "TIME");
    expect(await time("Today")).toHaveTextContent("14:30");
    expect(await time("Yesterday")).toHaveTextContent("Yesterday");
    expect(await time("Weekday")).toHaveTextContent("Sunday");
    expect(await time("Long ago")).toHaveTextContent(/19.10.2026|10.19.2026/);
  });

  it("shows a tick for each outbound status in the last-message preview", async () => {
    const statuses = ["pending", "sent", "delivered", "read", "played", "failed"] as const;
    installFakeBackend({
      conversations: statuses.map((status) =>
        buildConversation({ contactName: `Status ${status}`, lastMessage: buildPreview({ direction: "out", status }) }),
      ),
    });
    renderApp();
    await screen.findByRole("listbox", { name: "Conversations" });
    const expected = { pending: "Sending", sent: "Sent", delivered: "Delivered", read: "Read", played: "Played", failed: "Failed to send" };
    for (const status of statuses) {
      const row = screen.getByRole("option", { name: `Status ${status}` });
      const ticks = within(row).getByTestId("status-ticks");
      expect(ticks).toHaveAttribute("data-status", status);
      expect(ticks).toHaveAccessibleName(expected[status]);
    }
  });

  it("labels media, reactions and unknown kinds in the preview and shows no tick for inbound", async () => {
    installFakeBackend({
      conversations: [
        buildConversation({ contactName: "Photo", lastMessage: buildPreview({ kind: "image", text: null }) }),
        buildConversation({ contactName: "Captioned", lastMessage: buildPreview({ kind: "video", text: "Look at this" }) }),
        buildConversation({ contactName: "Reacted", lastMessage: buildPreview({ kind: "reaction", text: null }) }),
        buildConversation({ contactName: "Future", lastMessage: buildPreview({ kind: "hologram", text: null }) }),
        buildConversation({
          contactName: "Booked",
          lastMessage: buildPreview({ kind: "template", text: "Your table is booked", direction: "out", status: null }),
        }),
      ],
    });
    renderApp();
    const preview = async (name: string) => within(await screen.findByRole("option", { name })).getByTestId("message-preview");
    expect(await preview("Photo")).toHaveTextContent("Photo");
    expect(await preview("Captioned")).toHaveTextContent("Look at this");
    expect(await preview("Reacted")).toHaveTextContent("Reaction");
    expect(await preview("Future")).toHaveTextContent("Unsupported message: hologram");
    expect((await preview("Future")).querySelector("svg"), "an unknown kind is marked with an icon").not.toBeNull();
    expect(await preview("Booked")).toHaveTextContent("Your table is booked");
    expect((await preview("Booked")).querySelector("svg"), "a template is a known kind: no unsupported icon").toBeNull();
    expect(within(await preview("Photo")).queryByTestId("status-ticks")).not.toBeInTheDocument();
  });

  it("hides archived chats behind an Archived row that opens them", async () => {
    installFakeBackend({
      conversations: [
        buildConversation({ contactName: "Active" }),
        buildConversation({ contactName: "Shelved one", archived: true }),
        buildConversation({ contactName: "Shelved two", archived: true }),
      ],
    });
    const { user } = renderApp();
    await screen.findByRole("option", { name: "Active" });
    expect(screen.queryByRole("option", { name: "Shelved one" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /Archived \(2\)/ }));
    expect(screen.getByRole("option", { name: "Shelved one" })).toBeInTheDocument();
    expect(screen.queryByRole("option", { name: "Active" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Back to chats" }));
    expect(screen.getByRole("option", { name: "Active" })).toBeInTheDocument();
  });

  it("filters by name or number as you type", async () => {
    installFakeBackend({
      conversations: [
        buildConversation({ contactName: "José Núñez", waId: "34600111222" }),
        buildConversation({ contactName: "Ann Lee", waId: "15557654321" }),
      ],
    });
    const { user } = renderApp();
    const search = await screen.findByRole("searchbox", { name: "Search conversations" });
    await user.type(search, "jose");
    expect(screen.getAllByRole("option")).toHaveLength(1);
    expect(screen.getByRole("option", { name: "José Núñez" })).toBeInTheDocument();
    await user.clear(search);
    await user.type(search, "765 4321");
    expect(screen.getAllByRole("option")).toHaveLength(1);
    expect(screen.getByRole("option", { name: "Ann Lee" })).toBeInTheDocument();
    await user.clear(search);
    await user.type(search, "nobody");
    expect(screen.queryByRole("option")).not.toBeInTheDocument();
    expect(screen.getByText("No chats match “nobody”")).toBeInTheDocument();
  });

  it("moves through chats with the arrow keys and opens the active one with Enter", async () => {
    installFakeBackend({
      conversations: [
        buildConversation({ id: 1, contactName: "First", lastMessageAt: NOW_SECONDS - 10 }),
        buildConversation({ id: 2, contactName: "Second", lastMessageAt: NOW_SECONDS - 20 }),
        buildConversation({ id: 3, contactName: "Third", lastMessageAt: NOW_SECONDS - 30 }),
      ],
    });
    const { user } = renderApp();
    const listbox = await screen.findByRole("listbox", { name: "Conversations" });
    listbox.focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowDown}{ArrowUp}");
    expect(listbox).toHaveAttribute("aria-activedescendant", "conversation-option-2");
    await user.keyboard("{Enter}");
    expect(screen.getByRole("option", { name: "Second" })).toHaveAttribute("aria-selected", "true");
    expect(within(await screen.findByTestId("thread-header")).getByRole("heading")).toHaveTextContent("Second");
    await user.keyboard("{End}");
    expect(listbox).toHaveAttribute("aria-activedescendant", "conversation-option-3");
  });

  it("explains that messages arrive once WhatsApp is connected when there are no conversations", async () => {
    installFakeBackend({ conversations: [] });
    renderApp();
    const empty = await within(screen.getByTestId("conversation-list")).findByTestId("empty-state");
    expect(empty).toHaveTextContent("No conversations yet");
    expect(empty).toHaveTextContent(/once WhatsApp is connected|as soon as WhatsApp is connected/);
  });

  it("shows a loading skeleton, then the backend's error with a retry that recovers", async () => {
    const backend = installFakeBackend({ conversations: [buildConversation({ contactName: "Back again" })] });
    backend.failures.list_conversations = { code: "unavailable", message: "The database is busy." };
    backend.held.add("list_conversations");
    const { user } = renderApp();
    expect(screen.getByRole("status", { name: "Loading conversations" })).toBeInTheDocument();
    backend.release();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The database is busy.");
    backend.held.clear();
    delete backend.failures.list_conversations;
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("option", { name: "Back again" })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
  });

  it("ArrowDown in the search box moves focus into the list", async () => {
    installFakeBackend({ conversations: [buildConversation({ contactName: "Dana" })] });
    const { user } = renderApp();
    await screen.findByRole("option", { name: "Dana" });
    await user.click(screen.getByRole("searchbox", { name: "Search conversations" }));
    await user.keyboard("{ArrowDown}");
    expect(screen.getByRole("listbox", { name: "Conversations" })).toHaveFocus();
  });

  it("explains that it needs the app window when opened in a plain browser tab", async () => {
    renderApp();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("not running inside the ChatSphere app window");
  });

  it("renders only the rows in view of a long list and scrolls to the one reached by keyboard", async () => {
    installFakeBackend({
      conversations: Array.from({ length: 500 }, (_, index) =>
        buildConversation({ id: index + 1, contactName: `Customer ${index + 1}`, lastMessageAt: NOW_SECONDS - index * 60 }),
      ),
    });
    const { user } = renderApp();
    const listbox = await screen.findByRole("listbox", { name: "Conversations" });
    expect(screen.getAllByRole("option").length).toBeLessThan(40);
    expect(screen.queryByRole("option", { name: "Customer 500" })).not.toBeInTheDocument();
    listbox.focus();
    await user.keyboard("{End}");
    expect(await screen.findByRole("option", { name: "Customer 500" })).toBeInTheDocument();
    expect(listbox).toHaveAttribute("aria-activedescendant", "conversation-option-500");
    expect(screen.queryByRole("option", { name: "Customer 1" })).not.toBeInTheDocument();
  });
});
