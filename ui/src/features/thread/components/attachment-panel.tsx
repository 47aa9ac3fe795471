import { useRef, useState } from "react";
import { toIpcError } from "../../../lib/ipc-error";
import { newIdempotencyKey, useSendMedia } from "../api/sending";

type AttachmentPanelProps = {
  conversationId: number;
  path: string;
  replyToWamid: string | null;
  onSent: () => void;
  onCancel: () => void;
};

/** The last part of a path, whichever separator the system uses. */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function extensionOf(path: string): string {
  const name = fileNameOf(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** What the file will look like to the customer, guessed from its name for the preview. */
function describe(path: string): { label: string; captioned: boolean; voiceCapable: boolean } {
  const extension = extensionOf(path);
  if (["jpg", "jpeg", "png"].includes(extension)) return { label: "Photo", captioned: true, voiceCapable: false };
  if (["mp4", "3gp"].includes(extension)) return { label: "Video", captioned: true, voiceCapable: false };
  if (extension === "webp") return { label: "Sticker", captioned: false, voiceCapable: false };
  if (["ogg", "opus"].includes(extension)) return { label: "Audio", captioned: false, voiceCapable: true };
  if (["aac", "amr", "mp3", "m4a"].includes(extension)) return { label: "Audio", captioned: false, voiceCapable: false };
  return { label: "Document", captioned: true, voiceCapable: false };
}

/**
 * A chosen file before it goes out: its name, a caption where WhatsApp shows one, and
 * Send or Cancel. The backend checks the file's real type and size when Send is pressed.
 */
export function AttachmentPanel({ conversationId, path, replyToWamid, onSent, onCancel }: AttachmentPanelProps) {
  const send = useSendMedia(conversationId);
  const [caption, setCaption] = useState("");
  const [voice, setVoice] = useState(false);
  // Kept until the send succeeds, so pressing Send again after an error cannot send twice.
  const pendingKey = useRef<string | null>(null);
  const { label, captioned, voiceCapable } = describe(path);

  const submit = () => {
    if (send.isPending) return;
    pendingKey.current ??= newIdempotencyKey();
    send.mutate(
      {
        conversationId,
        idempotencyKey: pendingKey.current,
        path,
        kind: null,
        caption: captioned && caption.trim() ? caption.trim() : null,
        replyToWamid,
        voice: voiceCapable && voice,
      },
      { onSuccess: onSent },
    );
  };

  const error = send.isError ? toIpcError(send.error) : null;
  return (
    <section aria-label="File to send" className="mx-3 mt-2 rounded-lg border border-zinc-300 bg-white p-3 dark:border-zinc-600 dark:bg-zinc-800">
      <div className="flex items-center gap-3">
        <span className="rounded bg-emerald-100 px-2 py-1 text-xs font-medium text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100">
          {label}
        </span>
        <span className="min-w-0 flex-1 truncate text-sm" title={path}>
          {fileNameOf(path)}
        </span>
      </div>
      {captioned ? (
        <input
          aria-label="Caption"
          value={caption}
          onChange={(event) => {
            setCaption(event.target.value);
            pendingKey.current = null;
          }}
          placeholder="Add a caption"
          className="mt-2 w-full rounded border border-zinc-300 px-2 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-900"
        />
      ) : null}
      {voiceCapable ? (
        <label className="mt-2 flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-300">
          <input type="checkbox" checked={voice} onChange={(event) => setVoice(event.target.checked)} />
          Send as a voice note
        </label>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
          {error.message}
        </p>
      ) : null}
      <div className="mt-2 flex justify-end gap-2">
        <button type="button" onClick={onCancel} className="rounded-full px-3 py-1 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-700">
          Cancel
        </button>
        <button
          type="button"
          onClick={submit}
          disabled={send.isPending}
          className="rounded-full bg-emerald-600 px-4 py-1 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
        >
          Send file
        </button>
      </div>
    </section>
  );
}
