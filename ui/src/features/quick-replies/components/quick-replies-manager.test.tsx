import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { buildConversation } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

async function openManager(replies: Array<{ shortcut: string; body: string }> = []) {
  const backend = installFakeBackend({ conversations: [buildConversation({ id: 1, contactName: "Dana" })] });
  backend.quickReplies = replies.map((reply, index) => ({ id: index + 1, updatedAt: 0, ...reply }));
  const view = renderApp();
  await view.user.click(await screen.findByRole("button", { name: "Quick replies" }));
  const dialog = await screen.findByRole("dialog", { name: "Quick replies" });
  return { ...view, backend, dialog };
}

describe("quick replies manager", () => {
  it("says there are none yet", async () => {
    const { dialog } = await openManager();
    expect(await within(dialog).findByTestId("empty-state")).toHaveTextContent("No quick replies yet");
  });

  it("creates one with a shortcut and text", async () => {
    const { dialog, user, backend } = await openManager();
    await user.click(within(dialog).getByRole("button", { name: "New quick reply" }));
    const form = within(dialog).getByRole("form", { name: "New quick reply" });
    await user.type(within(form).getByRole("textbox", { name: "Shortcut" }), "hours");
    await user.type(within(form).getByRole("textbox", { name: "Text" }), "Hi {{{{first_name}}, we open at 9.");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    const list = await within(dialog).findByRole("list", { name: "Saved quick replies" });
    expect(within(list).getByTestId("quick-reply")).toHaveTextContent("/hoursHi {{first_name}}, we open at 9.");
    expect(backend.callsTo("create_quick_reply")[0]?.args["input"]).toEqual({ shortcut: "hours", body: "Hi {{first_name}}, we open at 9." });
    expect(within(dialog).queryByRole("form")).not.toBeInTheDocument();
  });

  it("edits one", async () => {
    const { dialog, user, backend } = await openManager([{ shortcut: "hours", body: "We open at 9." }]);
    await user.click(await within(dialog).findByRole("button", { name: "Edit /hours" }));
    const form = within(dialog).getByRole("form", { name: "Edit /hours" });
    const text = within(form).getByRole("textbox", { name: "Text" });
    expect(text).toHaveValue("We open at 9.");
    await user.clear(text);
    await user.type(text, "We open at 10.");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(within(dialog).getByTestId("quick-reply")).toHaveTextContent("We open at 10."));
    expect(backend.callsTo("update_quick_reply")[0]?.args).toEqual({ id: 1, input: { shortcut: "hours", body: "We open at 10." } });
  });

  it("deletes one only after confirmation", async () => {
    const { dialog, user, backend } = await openManager([
      { shortcut: "hours", body: "We open at 9." },
      { shortcut: "menu", body: "Our menu: shop.example/menu" },
    ]);
    await user.click(await within(dialog).findByRole("button", { name: "Delete /hours" }));
    const confirm = within(dialog).getByRole("group", { name: "Delete /hours?" });
    await user.click(within(confirm).getByRole("button", { name: "Keep" }));
    expect(backend.callsTo("delete_quick_reply")).toHaveLength(0);
    expect(within(dialog).getAllByTestId("quick-reply")).toHaveLength(2);

    await user.click(within(dialog).getByRole("button", { name: "Delete /hours" }));
    await user.click(within(within(dialog).getByRole("group", { name: "Delete /hours?" })).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(within(dialog).getAllByTestId("quick-reply")).toHaveLength(1));
    expect(backend.callsTo("delete_quick_reply")[0]?.args).toEqual({ id: 1 });
    expect(within(dialog).getByTestId("quick-reply")).toHaveTextContent("/menu");
  });

  it("shows why a shortcut was refused and keeps what was typed", async () => {
    const { dialog, user } = await openManager([{ shortcut: "hours", body: "We open at 9." }]);
    await user.click(await within(dialog).findByRole("button", { name: "New quick reply" }));
    const form = within(dialog).getByRole("form", { name: "New quick reply" });
    await user.type(within(form).getByRole("textbox", { name: "Shortcut" }), "hours");
    await user.type(within(form).getByRole("textbox", { name: "Text" }), "Another text");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("the shortcut /hours is already used");
    expect(within(form).getByRole("textbox", { name: "Text" })).toHaveValue("Another text");
  });
});
