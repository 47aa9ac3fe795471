import { screen, waitFor, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { describe, expect, it } from "vitest";
import type { MediaInfo, Message } from "../../../bindings";
import { mediaUrl, thumbnailUrl } from "../../../lib/media-url";
import { buildConversation, buildMessage } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

const ORIGINAL = "a".repeat(64);
const THUMB = "b".repeat(64);

function media(overrides: Partial<MediaInfo> = {}): MediaInfo {
  return {
    mimeType: "image/jpeg",
    fileName: null,
    sizeBytes: 48_000,
    sha256: ORIGINAL,
    thumbnailSha256: THUMB,
    lastError: null,
    state: "downloaded",
    voice: false,
    animated: false,
    ...overrides,
  };
}

async function openThread(messages: Message[]) {
  const backend = installFakeBackend({
    conversations: [buildConversation({ id: 1, contactName: "Dana" })],
    messages: { 1: messages.map((message) => ({ ...message, conversationId: 1 })) },
  });
  const view = renderApp();
  await view.user.click(await screen.findByRole("option", { name: "Dana" }));
  await screen.findByRole("log", { name: "Messages" });
  return { ...view, backend };
}

const bubbleOf = (kind: string) =>
  screen.getAllByTestId("message").find((bubble) => bubble.dataset["kind"] === kind) as HTMLElement;

describe("media bubbles", () => {
  it("builds media URLs on the app's own scheme, the http form on Windows", () => {
    expect(mediaUrl(ORIGINAL, "Mozilla/5.0 (X11; Linux x86_64)")).toBe(`chatsphere-media://localhost/${ORIGINAL}`);
    expect(thumbnailUrl(THUMB, "Mozilla/5.0 (Windows NT 10.0)")).toBe(`http://chatsphere-media.localhost/thumb/${THUMB}`);
  });

  it("shows a downloaded image as its thumbnail that opens full size", async () => {
    const { user } = await openThread([buildMessage({ id: 1, kind: "image", body: null, caption: "Menu", media: media() })]);
    const preview = within(bubbleOf("image")).getByRole("img", { name: "Photo" });
    expect(preview.getAttribute("src")).toBe(thumbnailUrl(THUMB));
    expect(bubbleOf("image")).toHaveTextContent("Menu");

    await user.click(within(bubbleOf("image")).getByRole("button", { name: "Open photo full size" }));
    const dialog = screen.getByRole("dialog", { name: "Photo full size" });
    expect(within(dialog).getByRole("img").getAttribute("src")).toBe(mediaUrl(ORIGINAL));
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("plays voice notes and videos from the media scheme, marking voice notes", async () => {
    await openThread([
      buildMessage({ id: 1, kind: "audio", body: null, media: media({ mimeType: "audio/ogg; codecs=opus", voice: true, thumbnailSha256: null }) }),
      buildMessage({ id: 2, kind: "video", body: null, media: media({ mimeType: "video/mp4", sha256: "c".repeat(64), thumbnailSha256: null }) }),
    ]);
    const audio = within(bubbleOf("audio")).getByLabelText("Voice message", { selector: "audio" });
    expect(audio.getAttribute("src")).toBe(mediaUrl(ORIGINAL));
    expect(bubbleOf("audio")).toHaveTextContent("Voice message");
    const video = within(bubbleOf("video")).getByLabelText("Video", { selector: "video" });
    expect(video.getAttribute("src")).toBe(mediaUrl("c".repeat(64)));
  });

  it("shows a document as a card that opens and saves through the backend", async () => {
    const { user, backend } = await openThread([
      buildMessage({ id: 7, kind: "document", body: null, media: media({ mimeType: "application/pdf", fileName: "invoice.pdf", sizeBytes: 2048, thumbnailSha256: null }) }),
    ]);
    const card = within(bubbleOf("document")).getByTestId("media-card");
    expect(card).toHaveTextContent("invoice.pdf");
    expect(card).toHaveTextContent("2 KB");
    await user.click(within(card).getByRole("button", { name: "Open" }));
    await user.click(within(card).getByRole("button", { name: "Save as…" }));
    await waitFor(() => expect(backend.callsTo("save_media_as")).toHaveLength(1));
    expect(backend.callsTo("open_media")[0]?.args).toEqual({ messageId: 7 });
    expect(backend.callsTo("save_media_as")[0]?.args).toEqual({ messageId: 7 });
  });

  it("offers a retry on a failed download and shows why it failed", async () => {
    const { user, backend } = await openThread([
      buildMessage({ id: 3, kind: "image", body: null, media: media({ state: "failed", sha256: null, thumbnailSha256: null, lastError: "the file does not match Meta's hash" }) }),
    ]);
    const card = within(bubbleOf("image")).getByTestId("media-card");
    expect(card).toHaveAttribute("data-media-state", "failed");
    expect(card).toHaveTextContent("does not match Meta's hash");
    await user.click(within(card).getByRole("button", { name: "Retry download" }));
    await waitFor(() => expect(backend.callsTo("retry_media_download")).toHaveLength(1));
    expect(backend.callsTo("retry_media_download")[0]?.args).toEqual({ messageId: 3 });
  });

  it("shows downloading with progress and expired without a retry", async () => {
    await openThread([
      buildMessage({ id: 1, kind: "image", body: null, media: media({ state: "downloading", sha256: null, thumbnailSha256: null }) }),
      buildMessage({ id: 2, kind: "video", body: null, media: media({ state: "expired", sha256: null, thumbnailSha256: null }) }),
    ]);
    expect(within(bubbleOf("image")).getByRole("progressbar", { name: "Downloading" })).toBeInTheDocument();
    const expired = within(bubbleOf("video")).getByTestId("media-card");
    expect(expired).toHaveTextContent("No longer available from WhatsApp");
    expect(within(expired).queryByRole("button", { name: "Retry download" })).not.toBeInTheDocument();
  });

  it("fills the progress bar as the backend reports the download advancing", async () => {
    await openThread([buildMessage({ id: 41, kind: "video", body: null, media: media({ state: "downloading", sha256: null, thumbnailSha256: null }) })]);
    const bar = within(bubbleOf("video")).getByRole("progressbar", { name: "Downloading" });
    expect(bar).not.toHaveAttribute("aria-valuenow");
    await emit("media-progress", { conversationId: 1, messageId: 41, receivedBytes: 300, totalBytes: 1200 });
    await waitFor(() => expect(within(bubbleOf("video")).getByRole("progressbar", { name: "Downloading" })).toHaveAttribute("aria-valuenow", "25"));
  });

  it("replaces the download card with the picture when the download finishes, without reloading the thread", async () => {
    const { backend } = await openThread([
      buildMessage({ id: 5, kind: "image", body: null, media: media({ state: "downloading", sha256: null, thumbnailSha256: null }) }),
    ]);
    expect(within(bubbleOf("image")).getByTestId("media-card")).toHaveAttribute("data-media-state", "downloading");
    backend.messages.set(1, [buildMessage({ id: 5, conversationId: 1, kind: "image", body: null, media: media() })]);
    await emit("messages-changed", { conversationId: 1, messageIds: [5] });
    await waitFor(() => expect(within(bubbleOf("image")).getByRole("img", { name: "Photo" })).toBeInTheDocument());
  });
});
