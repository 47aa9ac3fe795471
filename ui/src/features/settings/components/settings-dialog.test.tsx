import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { META_MEDIA_LIMITS, type Settings, type TextToSend } from "../../../bindings";
import { buildConversation } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

async function openSettings() {
  const backend = installFakeBackend({ conversations: [buildConversation({ id: 1, contactName: "Dana" })] });
  const view = renderApp();
  const gear = await screen.findByRole("button", { name: "Settings" });
  await view.user.click(gear);
  const dialog = await screen.findByRole("dialog", { name: "Settings" });
  await within(dialog).findByRole("switch", { name: "Mark conversations as read when I open them" });
  return { ...view, backend, dialog, gear };
}

const savedSettings = (backend: ReturnType<typeof installFakeBackend>) =>
  backend.callsTo("update_settings").map((call) => call.args["settings"] as Settings);

describe("settings screen", () => {
  it("shows each setting in its section with the stored values", async () => {
    const { dialog } = await openSettings();
    expect(within(dialog).getByRole("region", { name: "Conversations" })).toBeInTheDocument();
    expect(within(dialog).getByRole("region", { name: "Messages" })).toBeInTheDocument();
    expect(within(dialog).getByRole("switch", { name: "Mark conversations as read when I open them" })).toHaveAttribute("aria-checked", "true");
    expect(within(dialog).getByRole("switch", { name: "Show “typing…” while I type" })).toHaveAttribute("aria-checked", "true");
    expect(within(dialog).getByRole("switch", { name: "Show link previews by default" })).toHaveAttribute("aria-checked", "true");
    expect(within(dialog).getByRole("textbox", { name: "Graph API version" })).toHaveValue("v26.0");
  });

  it("a switch saves the whole settings at once and shows the new state", async () => {
    const { dialog, user, backend } = await openSettings();
    const markRead = within(dialog).getByRole("switch", { name: "Mark conversations as read when I open them" });
    await user.click(markRead);
    await waitFor(() => expect(markRead).toHaveAttribute("aria-checked", "false"));
    expect(savedSettings(backend)).toEqual([
      { sending: { markReadOnOpen: false, typingIndicator: true, linkPreviews: true }, graph: { version: "v26.0" }, media: META_MEDIA_LIMITS },
    ]);
    expect(within(dialog).getByRole("status")).toHaveTextContent("Saved");
  });

  it("switches work from the keyboard", async () => {
    const { dialog, user, backend } = await openSettings();
    const typing = within(dialog).getByRole("switch", { name: "Show “typing…” while I type" });
    typing.focus();
    await user.keyboard(" ");
    await waitFor(() => expect(typing).toHaveAttribute("aria-checked", "false"));
    expect(savedSettings(backend)[0]?.sending.typingIndicator).toBe(false);
  });

  it("refuses a Graph API version that does not look like v26.0, and saves one that does", async () => {
    const { dialog, user, backend } = await openSettings();
    const version = within(dialog).getByRole("textbox", { name: "Graph API version" });
    const save = within(dialog).getByRole("button", { name: "Save" });
    expect(save).toBeDisabled();
    await user.clear(version);
    await user.type(version, "26");
    expect(version).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).getByText("Write it as v followed by two numbers, such as v26.0.")).toBeInTheDocument();
    expect(save).toBeDisabled();
    await user.clear(version);
    await user.type(version, "v27.0{Enter}");
    await waitFor(() => expect(savedSettings(backend)).toHaveLength(1));
    expect(savedSettings(backend)[0]?.graph.version).toBe("v27.0");
  });

  it("shows each media limit in MB with Meta's limits by default", async () => {
    const { dialog } = await openSettings();
    const media = within(dialog).getByRole("region", { name: "Media" });
    const shown = (name: string) => within(media).getByRole("spinbutton", { name });
    expect(shown("Pictures")).toHaveValue(5);
    expect(shown("Videos")).toHaveValue(16);
    expect(shown("Audio and voice notes")).toHaveValue(16);
    expect(shown("Documents")).toHaveValue(100);
    expect(shown("Stickers")).toHaveValue(0.097656);
    expect(shown("Animated stickers")).toHaveValue(0.488281);
    expect(shown("Stickers")).toHaveAccessibleDescription("WhatsApp’s limit: 100 KB");
    expect(within(media).getByText(/not raise it above WhatsApp’s own/)).toBeInTheDocument();
    expect(within(media).getByRole("button", { name: "Save limits" })).toHaveAttribute("aria-disabled", "true");
    expect(within(media).getByRole("button", { name: "Restore Meta’s limits" }), "already Meta's").toHaveAttribute("aria-disabled", "true");
  });

  it("a lowered limit is saved in bytes", async () => {
    const { dialog, user, backend } = await openSettings();
    const media = within(dialog).getByRole("region", { name: "Media" });
    const videos = within(media).getByRole("spinbutton", { name: "Videos" });
    await user.clear(videos);
    await user.type(videos, "2.5");
    await user.click(within(media).getByRole("button", { name: "Save limits" }));
    await waitFor(() => expect(savedSettings(backend)).toHaveLength(1));
    expect(savedSettings(backend)[0]?.media).toEqual({ ...META_MEDIA_LIMITS, video: 2_621_440 });
    expect(within(dialog).getByRole("status")).toHaveTextContent("Saved");
    expect(videos, "the saved value stays in place").toHaveValue(2.5);
    expect(dialog, "the focus stays in the dialog").toContainElement(document.activeElement as HTMLElement);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("refuses a limit above Meta's or of zero, saying why, and saves nothing", async () => {
    const { dialog, user, backend } = await openSettings();
    const media = within(dialog).getByRole("region", { name: "Media" });
    const pictures = within(media).getByRole("spinbutton", { name: "Pictures" });
    const save = within(media).getByRole("button", { name: "Save limits" });
    await user.clear(pictures);
    await user.type(pictures, "6");
    expect(pictures).toHaveAttribute("aria-invalid", "true");
    expect(pictures).toHaveAccessibleDescription(/WhatsApp accepts at most 5 MB for pictures: a higher limit could never be sent\./);
    expect(save).toHaveAttribute("aria-disabled", "true");
    await user.click(save);
    await user.clear(pictures);
    await user.type(pictures, "0");
    expect(within(media).getByText("The limit must be more than 0 MB.")).toBeInTheDocument();
    await user.clear(pictures);
    expect(within(media).getByText("Enter a size in MB.")).toBeInTheDocument();
    await user.type(pictures, "{Enter}");
    expect(save).toHaveAttribute("aria-disabled", "true");
    const stickers = within(media).getByRole("spinbutton", { name: "Stickers" });
    await user.clear(stickers);
    await user.type(stickers, "0.1");
    expect(stickers).toHaveAccessibleDescription(/at most 100 KB \(0\.097656 MB\) for stickers/);
    expect(savedSettings(backend)).toHaveLength(0);
  });

  it("Restore Meta's limits puts every limit back at once", async () => {
    const backend = installFakeBackend({ conversations: [buildConversation({ id: 1, contactName: "Dana" })] });
    backend.settings = { ...backend.settings, media: { ...META_MEDIA_LIMITS, image: 1_048_576, document: 10_485_760 } };
    const { user } = renderApp();
    await user.click(await screen.findByRole("button", { name: "Settings" }));
    const media = await screen.findByRole("region", { name: "Media" });
    expect(within(media).getByRole("spinbutton", { name: "Pictures" })).toHaveValue(1);
    await user.click(within(media).getByRole("button", { name: "Restore Meta’s limits" }));
    await waitFor(() => expect(within(media).getByRole("spinbutton", { name: "Pictures" })).toHaveValue(5));
    expect(within(media).getByRole("spinbutton", { name: "Documents" })).toHaveValue(100);
    expect(savedSettings(backend).at(-1)?.media).toEqual(META_MEDIA_LIMITS);
  });

  it("shows why the backend refused a change", async () => {
    const { dialog, user, backend } = await openSettings();
    backend.failures.update_settings = { code: "internal", message: "the settings could not be saved: disk full" };
    await user.click(within(dialog).getByRole("switch", { name: "Show link previews by default" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("disk full");
  });

  it("Escape closes it and focus returns to the gear button", async () => {
    const { user, gear, dialog } = await openSettings();
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(gear).toHaveFocus();
  });

  it("with link previews off by default, a link is sent without a preview unless the owner ticks it", async () => {
    const backend = installFakeBackend({ conversations: [buildConversation({ id: 1, contactName: "Dana" })] });
    backend.settings = { ...backend.settings, sending: { ...backend.settings.sending, linkPreviews: false } };
    const { user } = renderApp();
    await user.click(await screen.findByRole("option", { name: "Dana" }));
    const box = await screen.findByRole("textbox", { name: "Message" });
    await user.type(box, "See https://shop.example/menu");
    const preview = screen.getByRole("checkbox", { name: "Show a preview of the link" });
    await waitFor(() => expect(preview).not.toBeChecked());
    await user.keyboard("{Enter}");
    await waitFor(() => expect(backend.callsTo("send_text")).toHaveLength(1));
    expect((backend.callsTo("send_text")[0]?.args["text"] as TextToSend).previewUrl).toBe(false);
  });
});
