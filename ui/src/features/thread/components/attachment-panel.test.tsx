import { act, screen, waitFor, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { describe, expect, it } from "vitest";
import type { MediaToSend } from "../../../bindings";
import { buildConversation, buildMessage } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

async function openThread() {
  const backend = installFakeBackend({
    conversations: [buildConversation({ id: 1, contactName: "Dana" })],
    messages: { 1: [buildMessage({ id: 1, conversationId: 1, body: "Can I see the menu?" })] },
  });
  const view = renderApp();
  await view.user.click(await screen.findByRole("option", { name: "Dana" }));
  await screen.findByRole("log", { name: "Messages" });
  await screen.findByTestId("service-window");
  return { ...view, backend };
}

const sentMedia = (backend: ReturnType<typeof installFakeBackend>) =>
  backend.callsTo("send_media").map((call) => call.args["media"] as MediaToSend);

describe("sending a file", () => {
  it("the attach button opens the file dialog, and the chosen file goes out once with its caption", async () => {
    const { user, backend } = await openThread();
    backend.pickedFile = "/home/dana/Downloads/Menu 2026.pdf";
    await user.click(screen.getByRole("button", { name: "Attach a file" }));

    const panel = await screen.findByRole("region", { name: "File to send" });
    expect(within(panel).getByText("Menu 2026.pdf"), "the file's name is shown").toBeInTheDocument();
    expect(within(panel).getByText("Document")).toBeInTheDocument();
    await user.type(within(panel).getByRole("textbox", { name: "Caption" }), "Today's menu");
    await user.click(within(panel).getByRole("button", { name: "Send file" }));

    await waitFor(() => expect(sentMedia(backend), "one send per press").toHaveLength(1));
    expect(sentMedia(backend)[0]).toMatchObject({
      conversationId: 1,
      path: "/home/dana/Downloads/Menu 2026.pdf",
      caption: "Today's menu",
      kind: null,
      voice: false,
    });
    await waitFor(() => expect(screen.queryByRole("region", { name: "File to send" }), "the panel closes once queued").toBeNull());
    expect(await screen.findByText("Today's menu"), "the sent file shows in the thread").toBeInTheDocument();
  });

  it("cancelling the file dialog attaches nothing", async () => {
    const { user, backend } = await openThread();
    backend.pickedFile = null;
    await user.click(screen.getByRole("button", { name: "Attach a file" }));
    await waitFor(() => expect(backend.callsTo("plugin:dialog|open")).toHaveLength(1));
    expect(screen.queryByRole("region", { name: "File to send" })).toBeNull();
  });

  it("a file dropped onto the window opens the preview with its real path", async () => {
    const { user, backend } = await openThread();
    await act(() => emit("tauri://drag-enter", { paths: ["/tmp/photo.png"], position: { x: 10, y: 10 } }));
    expect(await screen.findByTestId("drop-target"), "the thread shows where to drop").toBeInTheDocument();
    await act(() => emit("tauri://drag-drop", { paths: ["/tmp/photo.png"], position: { x: 10, y: 10 } }));

    const panel = await screen.findByRole("region", { name: "File to send" });
    expect(screen.queryByTestId("drop-target")).toBeNull();
    expect(within(panel).getByText("Photo")).toBeInTheDocument();
    await user.click(within(panel).getByRole("button", { name: "Send file" }));
    await waitFor(() => expect(sentMedia(backend)).toHaveLength(1));
    expect(sentMedia(backend)[0]).toMatchObject({ path: "/tmp/photo.png", caption: null });
  });

  it("an OGG file can go as a voice note and takes no caption", async () => {
    const { user, backend } = await openThread();
    backend.pickedFile = "/tmp/note.ogg";
    await user.click(screen.getByRole("button", { name: "Attach a file" }));
    const panel = await screen.findByRole("region", { name: "File to send" });
    expect(within(panel).queryByRole("textbox", { name: "Caption" }), "audio has no caption").toBeNull();
    await user.click(within(panel).getByRole("checkbox", { name: "Send as a voice note" }));
    await user.click(within(panel).getByRole("button", { name: "Send file" }));
    await waitFor(() => expect(sentMedia(backend)).toHaveLength(1));
    expect(sentMedia(backend)[0]).toMatchObject({ voice: true, caption: null });
  });

  it("a refused file shows the reason, a second press reuses the key, and Cancel clears it", async () => {
    const { user, backend } = await openThread();
    backend.failures.send_media = { code: "invalidInput", message: "the file is 6.0 MB, more than the 5.0 MB WhatsApp allows for it" };
    backend.pickedFile = "/tmp/huge.png";
    await user.click(screen.getByRole("button", { name: "Attach a file" }));
    const panel = await screen.findByRole("region", { name: "File to send" });
    await user.click(within(panel).getByRole("button", { name: "Send file" }));
    expect(await within(panel).findByRole("alert")).toHaveTextContent("more than the 5.0 MB");
    await user.click(within(panel).getByRole("button", { name: "Send file" }));
    await waitFor(() => expect(sentMedia(backend)).toHaveLength(2));
    const [first, second] = sentMedia(backend);
    expect(second?.idempotencyKey, "a repeated press cannot send twice").toBe(first?.idempotencyKey);

    await user.click(within(panel).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("region", { name: "File to send" })).toBeNull();
  });
});
