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
    messages: { 1: [buildMessage({ id: 1, conversationId: 1, wamid: "wamid.menu-question", body: "Can I see the menu?" })] },
  });
  const view = renderApp();
  await view.user.click(await screen.findByRole("option", { name: "Dana" }));
  await screen.findByRole("log", { name: "Messages" });
  await screen.findByTestId("service-window");
  return { ...view, backend };
}

const sentMedia = (backend: ReturnType<typeof installFakeBackend>) =>
  backend.callsTo("send_media").map((call) => call.args["media"] as MediaToSend);
const panel = () => screen.findByRole("region", { name: "Files to send" });
const attachment = (name: string) => screen.getByRole("listitem", { name });

describe("sending files", () => {
  it("the dialog's files are previewed: a photo as its picture, a PDF as a typed card, each with its caption", async () => {
    const { user, backend } = await openThread();
    backend.pickedFiles = ["/home/dana/Pictures/cake.png", "/home/dana/Downloads/Menu 2026.pdf"];
    await user.click(screen.getByRole("button", { name: "Attach a file" }));

    const files = await panel();
    expect(backend.callsTo("pick_files")[0]?.args["purpose"], "the attach dialog, which takes several files").toBe("send");
    const photo = await within(files).findByRole("img", { name: "Preview of cake.png" });
    expect(photo.getAttribute("src"), "the picture comes from the app's media scheme").toMatch(/^chatsphere-media:\/\/localhost\/preview\/[0-9a-f]{64}$/);
    expect(attachment("cake.png")).toHaveTextContent("Photo · 47 KB · image/png");
    const pdf = attachment("Menu 2026.pdf");
    expect(within(pdf).queryByRole("img"), "a document has no picture").toBeNull();
    expect(within(pdf).getByTestId("attachment-icon")).toBeInTheDocument();
    expect(pdf).toHaveTextContent("Document · 47 KB · application/pdf");

    await user.type(within(files).getByRole("textbox", { name: "Caption for cake.png" }), "The cake");
    await user.type(within(files).getByRole("textbox", { name: "Caption for Menu 2026.pdf" }), "Today's menu");
    await user.click(within(files).getByRole("button", { name: "Send 2 files" }));

    await waitFor(() => expect(sentMedia(backend), "one send per file").toHaveLength(2));
    expect(sentMedia(backend)).toMatchObject([
      { conversationId: 1, path: "/home/dana/Pictures/cake.png", kind: "image", caption: "The cake", voice: false },
      { conversationId: 1, path: "/home/dana/Downloads/Menu 2026.pdf", kind: "document", caption: "Today's menu", voice: false },
    ]);
    await waitFor(() => expect(screen.queryByRole("region", { name: "Files to send" }), "the panel closes once all are queued").toBeNull());
    expect(await screen.findByText("Today's menu"), "the sent file shows in the thread").toBeInTheDocument();
  });

  it("cancelling the file dialog attaches nothing", async () => {
    const { user, backend } = await openThread();
    backend.pickedFiles = null;
    await user.click(screen.getByRole("button", { name: "Attach a file" }));
    await waitFor(() => expect(backend.callsTo("pick_files")).toHaveLength(1));
    expect(screen.queryByRole("region", { name: "Files to send" })).toBeNull();
  });

  it("a path the owner never chose is refused with what to do, and nothing is sent", async () => {
    const { backend } = await openThread();
    // A drop the backend did not see (a page making up paths) reaches the webview alone.
    await act(() => emit("tauri://drag-drop", { paths: ["/home/dana/.ssh/id_ed25519"], position: { x: 10, y: 10 } }));
    await panel();
    expect(await within(attachment("id_ed25519")).findByRole("alert")).toHaveTextContent(
      "id_ed25519 was not chosen in this window: choose the file again with Attach or drop it on the window",
    );
    expect(screen.getByRole("button", { name: "Send file" })).toBeDisabled();
    expect(backend.callsTo("send_media")).toHaveLength(0);
  });

  it("dropped files are previewed with their real paths, a sticker as its picture; removing one sends only the rest", async () => {
    const { user, backend } = await openThread();
    const paths = ["/tmp/photo.png", "/tmp/smile.webp", "/tmp/clip.mp4"];
    await act(() => emit("tauri://drag-enter", { paths, position: { x: 10, y: 10 } }));
    expect(await screen.findByTestId("drop-target"), "the thread shows where to drop").toBeInTheDocument();
    await act(() => backend.dropFiles(paths));

    const files = await panel();
    expect(screen.queryByTestId("drop-target")).toBeNull();
    expect(await within(files).findByRole("img", { name: "Preview of smile.webp" })).toBeInTheDocument();
    expect(attachment("smile.webp")).toHaveTextContent("Sticker");
    expect(within(attachment("smile.webp")).queryByRole("textbox"), "a sticker takes no caption").toBeNull();
    expect(attachment("clip.mp4")).toHaveTextContent("Video · 47 KB · video/mp4");

    await user.click(within(files).getByRole("button", { name: "Remove photo.png" }));
    expect(within(files).queryByRole("listitem", { name: "photo.png" })).toBeNull();
    await user.click(within(files).getByRole("button", { name: "Send 2 files" }));
    await waitFor(() => expect(sentMedia(backend)).toHaveLength(2));
    expect(sentMedia(backend).map((media) => media.path)).toEqual(["/tmp/smile.webp", "/tmp/clip.mp4"]);
  });

  it("a file WhatsApp would refuse says why before anything is sent, and the others go once it is removed", async () => {
    const { user, backend } = await openThread();
    backend.stagedFiles.set("/tmp/huge.png", { problem: "The file is 6.0 MB, more than the 5.0 MB WhatsApp allows for it.", kind: null, mimeType: null, previewSha256: null, sizeBytes: 6_291_456 });
    backend.stagedFiles.set("/tmp/song.flac", { problem: "WhatsApp cannot send this type of file.", kind: null, mimeType: null });
    backend.pickedFiles = ["/tmp/huge.png", "/tmp/song.flac", "/tmp/menu.pdf"];
    await user.click(screen.getByRole("button", { name: "Attach a file" }));

    const files = await panel();
    expect(await within(attachment("huge.png")).findByRole("alert")).toHaveTextContent("more than the 5.0 MB WhatsApp allows");
    expect(attachment("huge.png"), "its size still shows").toHaveTextContent("6 MB");
    expect(within(attachment("song.flac")).getByRole("alert")).toHaveTextContent("cannot send this type of file");
    expect(within(attachment("menu.pdf")).queryByRole("alert")).toBeNull();
    const sendButton = within(files).getByRole("button", { name: "Send 3 files" });
    expect(sendButton, "nothing goes while a file would be refused").toBeDisabled();

    await user.click(within(files).getByRole("button", { name: "Remove huge.png" }));
    await user.click(within(files).getByRole("button", { name: "Remove song.flac" }));
    await user.click(within(files).getByRole("button", { name: "Send file" }));
    await waitFor(() => expect(sentMedia(backend)).toHaveLength(1));
    expect(sentMedia(backend)[0]?.path).toBe("/tmp/menu.pdf");
  });

  it("an OGG file can go as a voice note and takes no caption", async () => {
    const { user, backend } = await openThread();
    backend.pickedFiles = ["/tmp/note.ogg"];
    await user.click(screen.getByRole("button", { name: "Attach a file" }));
    const files = await panel();
    const checkbox = await within(files).findByRole("checkbox", { name: "Send as a voice note" });
    expect(within(files).queryByRole("textbox"), "audio has no caption").toBeNull();
    await user.click(checkbox);
    await user.click(within(files).getByRole("button", { name: "Send file" }));
    await waitFor(() => expect(sentMedia(backend)).toHaveLength(1));
    expect(sentMedia(backend)[0]).toMatchObject({ voice: true, caption: null, kind: "audio" });
  });

  it("a send refused by the backend shows on its file, a second press reuses its key, and Cancel clears the panel", async () => {
    const { user, backend } = await openThread();
    backend.failures.send_media = { code: "invalidInput", message: "the file could not be read: it was moved" };
    backend.pickedFiles = ["/tmp/photo.png"];
    await user.click(screen.getByRole("button", { name: "Attach a file" }));
    const files = await panel();
    await within(files).findByRole("img", { name: "Preview of photo.png" });
    await user.click(within(files).getByRole("button", { name: "Send file" }));
    expect(await within(attachment("photo.png")).findByRole("alert")).toHaveTextContent("it was moved");
    await user.click(within(files).getByRole("button", { name: "Send file" }));
    await waitFor(() => expect(sentMedia(backend)).toHaveLength(2));
    const [first, second] = sentMedia(backend);
    expect(second?.idempotencyKey, "a repeated press cannot send twice").toBe(first?.idempotencyKey);

    await user.click(within(files).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("region", { name: "Files to send" })).toBeNull();
  });

  it("a reply quotes with the first file only", async () => {
    const { user, backend } = await openThread();
    const question = screen.getByText("Can I see the menu?").closest("[data-testid='message']") as HTMLElement;
    await user.hover(question);
    await user.click(within(question).getByRole("button", { name: "Reply" }));
    backend.pickedFiles = ["/tmp/a.png", "/tmp/b.png"];
    await user.click(screen.getByRole("button", { name: "Attach a file" }));
    const files = await panel();
    await within(files).findByRole("img", { name: "Preview of b.png" });
    await user.click(within(files).getByRole("button", { name: "Send 2 files" }));
    await waitFor(() => expect(sentMedia(backend)).toHaveLength(2));
    expect(sentMedia(backend).map((media) => media.replyToWamid)).toEqual(["wamid.menu-question", null]);
    expect(screen.queryByTestId("reply-preview"), "the reply is done").toBeNull();
  });
});
