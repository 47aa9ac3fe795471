import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { TextToSend } from "../../../bindings";
import { buildConversation, buildMessage } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

async function openComposer() {
  const backend = installFakeBackend({
    conversations: [buildConversation({ id: 1, contactName: "Dana Whitfield" })],
    messages: { 1: [buildMessage({ id: 1, conversationId: 1, body: "Hi!" })] },
  });
  backend.quickReplies = [
    { id: 1, shortcut: "hours", body: "Hi {{first_name}}, we open at 9.", updatedAt: 0 },
    { id: 2, shortcut: "home", body: "We deliver to {{city}}, {{name}}.", updatedAt: 0 },
    { id: 3, shortcut: "menu", body: "Our menu: example.com/menu", updatedAt: 0 },
  ];
  const view = renderApp();
  await view.user.click(await screen.findByRole("option", { name: "Dana Whitfield" }));
  const box = await screen.findByRole("textbox", { name: "Message" });
  return { ...view, backend, box };
}

const shortcuts = () =>
  within(screen.getByRole("listbox", { name: "Quick replies" }))
    .getAllByRole("option")
    .map((option) => option.textContent);

describe("quick replies in the composer", () => {
  it("/ at the start lists the quick replies and typing filters them", async () => {
    const { user, box } = await openComposer();
    await user.type(box, "/");
    await waitFor(() => expect(shortcuts()).toHaveLength(3));
    await user.type(box, "ho");
    expect(shortcuts()).toEqual(["/hoursHi {{first_name}}, we open at 9.", "/homeWe deliver to {{city}}, {{name}}."]);
    expect(box).toHaveAttribute("aria-activedescendant");
  });

  it("arrows and Enter insert the chosen one with the contact filled in, without sending", async () => {
    const { user, box, backend } = await openComposer();
    await user.type(box, "/ho");
    await waitFor(() => expect(shortcuts()).toHaveLength(2));
    const options = () => within(screen.getByRole("listbox", { name: "Quick replies" })).getAllByRole("option");
    await user.keyboard("{ArrowDown}");
    expect(options()[1]).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{ArrowDown}");
    expect(options()[0]).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(box).toHaveValue("Hi Dana, we open at 9."));
    expect(screen.queryByRole("listbox", { name: "Quick replies" })).not.toBeInTheDocument();
    expect(backend.callsTo("fill_quick_reply")[0]?.args).toEqual({ id: 1, conversationId: 1 });
    expect(backend.callsTo("send_text")).toHaveLength(0);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(backend.callsTo("send_text")).toHaveLength(1));
    expect((backend.callsTo("send_text")[0]?.args["text"] as TextToSend).body).toBe("Hi Dana, we open at 9.");
  });

  it("a variable the contact cannot fill is highlighted and selected to type over", async () => {
    const { user, box } = await openComposer();
    await user.type(box, "/home");
    await user.click(await screen.findByRole("option", { name: /\/home/ }));
    await waitFor(() => expect(box).toHaveValue("We deliver to {{city}}, Dana Whitfield."));
    const notice = screen.getByTestId("unfilled-variables");
    expect(within(notice).getByText("{{city}}").tagName).toBe("MARK");
    await waitFor(() => expect([(box as HTMLTextAreaElement).selectionStart, (box as HTMLTextAreaElement).selectionEnd]).toEqual([14, 22]));
    await user.keyboard("Lisbon");
    expect(box).toHaveValue("We deliver to Lisbon, Dana Whitfield.");
    expect(screen.queryByTestId("unfilled-variables")).not.toBeInTheDocument();
  });

  it("Escape closes the list and Enter then sends the text as typed", async () => {
    const { user, box, backend } = await openComposer();
    await user.type(box, "/menu");
    await screen.findByRole("listbox", { name: "Quick replies" });
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("listbox", { name: "Quick replies" })).not.toBeInTheDocument();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(backend.callsTo("send_text")).toHaveLength(1));
    expect((backend.callsTo("send_text")[0]?.args["text"] as TextToSend).body).toBe("/menu");
  });

  it("a slash inside a sentence does not open the list", async () => {
    const { user, box } = await openComposer();
    await user.type(box, "and/or");
    expect(screen.queryByRole("listbox", { name: "Quick replies" })).not.toBeInTheDocument();
  });
});
