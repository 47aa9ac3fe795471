import type { InfiniteData } from "@tanstack/react-query";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { describe, expect, it } from "vitest";
import type { MessagePage } from "../bindings";
import { buildConversation, buildMessage, buildPreview } from "../testing/factories";
import { installFakeBackend } from "../testing/fake-backend";
import { renderApp } from "../testing/render-app";
import { queryKeys } from "./query-keys";

describe("backend events", () => {
  it("a messages-changed event refetches that conversation's messages and the list", async () => {
    const backend = installFakeBackend({
      conversations: [buildConversation({ id: 1, contactName: "Dana" }), buildConversation({ id: 2, contactName: "Eli" })],
      messages: { 1: [buildMessage({ id: 1, conversationId: 1, body: "first" })], 2: [] },
    });
    const { user } = renderApp();
    await user.click(await screen.findByRole("option", { name: "Dana" }));
    await screen.findByText("first");

    backend.messages.set(1, [...(backend.messages.get(1) ?? []), buildMessage({ id: 2, conversationId: 1, body: "second" })]);
    backend.conversations = backend.conversations.map((conversation) =>
      conversation.id === 1 ? { ...conversation, lastMessage: buildPreview({ text: "second" }) } : conversation,
    );
    const listCallsBefore = backend.callsTo("list_conversations").length;
    await emit("messages-changed", { conversationId: 1, messageIds: [2] });

    expect(await screen.findByText("second", { selector: "[data-testid=message-text]" })).toBeInTheDocument();
    await waitFor(() => expect(backend.callsTo("list_conversations").length).toBeGreaterThan(listCallsBefore));
    // Another conversation's cache is not touched.
    expect(backend.callsTo("list_messages").every((call) => call.args["conversationId"] === 1)).toBe(true);
  });

  it("a conversations-changed event refetches the conversation list", async () => {
    const backend = installFakeBackend({ conversations: [buildConversation({ contactName: "Dana" })] });
    renderApp();
    await screen.findByRole("option", { name: "Dana" });
    backend.conversations = [...backend.conversations, buildConversation({ contactName: "New customer" })];
    await emit("conversations-changed", { conversationIds: [backend.conversations[1]?.id ?? 0] });
    expect(await screen.findByRole("option", { name: "New customer" })).toBeInTheDocument();
  });

  it("a conversations-changed event without ids reloads the open thread too", async () => {
    const backend = installFakeBackend({
      conversations: [buildConversation({ id: 1, contactName: "Dana" })],
      messages: { 1: [buildMessage({ id: 1, conversationId: 1, body: "first" })] },
    });
    const { user } = renderApp();
    await user.click(await screen.findByRole("option", { name: "Dana" }));
    await screen.findByText("first");
    backend.messages.set(1, [...(backend.messages.get(1) ?? []), buildMessage({ id: 2, conversationId: 1, body: "missed" })]);
    await emit("conversations-changed", { conversationIds: [] });
    expect(await screen.findByText("missed", { selector: "[data-testid=message-text]" })).toBeInTheDocument();
  });

  it("a conversations-changed event with ids leaves the open thread alone", async () => {
    const backend = installFakeBackend({
      conversations: [buildConversation({ id: 1, contactName: "Dana" })],
      messages: { 1: [buildMessage({ id: 1, conversationId: 1, body: "first" })] },
    });
    const { user } = renderApp();
    await user.click(await screen.findByRole("option", { name: "Dana" }));
    await screen.findByText("first");
    const messageCallsBefore = backend.callsTo("list_messages").length;
    const listCallsBefore = backend.callsTo("list_conversations").length;
    await emit("conversations-changed", { conversationIds: [1] });
    await waitFor(() => expect(backend.callsTo("list_conversations").length).toBeGreaterThan(listCallsBefore));
    expect(backend.callsTo("list_messages")).toHaveLength(messageCallsBefore);
  });

  it("a new message while older pages are loaded keeps the history contiguous", async () => {
    const history = Array.from({ length: 60 }, (_, index) =>
      buildMessage({ id: index + 1, conversationId: 1, body: `m${index + 1}`, waTimestamp: 1_700_000_000 + index * 60, seq: index + 1 }),
    );
    const backend = installFakeBackend({ conversations: [buildConversation({ id: 1, contactName: "Dana" })], messages: { 1: history } });
    const { user, queryClient } = renderApp();
    await user.click(await screen.findByRole("option", { name: "Dana" }));
    const log = await screen.findByRole("log", { name: "Messages" });
    await screen.findByText("m60");
    log.scrollTop = 0;
    fireEvent.scroll(log);
    await waitFor(() => expect(backend.callsTo("list_messages")).toHaveLength(2));

    const newest = buildMessage({ id: 61, conversationId: 1, body: "m61", waTimestamp: 1_700_000_000 + 60 * 60, seq: 61 });
    backend.messages.set(1, [...history, newest]);
    await emit("messages-changed", { conversationId: 1, messageIds: [61] });

    await waitFor(() => {
      const data = queryClient.getQueryData<InfiniteData<MessagePage>>(queryKeys.messages(1));
      const ids = (data?.pages ?? []).flatMap((page) => page.messages.map((message) => message.id));
      expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: 61 }, (_, index) => index + 1));
    });
  });
});
