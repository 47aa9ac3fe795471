import { useRef, useState } from "react";
import { toIpcError } from "../../../lib/ipc-error";
import { newIdempotencyKey, useSendMedia } from "../api/sending";
import { useStagedFiles } from "../api/stage-file";
import { AttachmentCard, canBeVoiceNote, takesCaption } from "./attachment-card";

/** The last part of a path, whichever separator the system uses. */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** `current` with `added` appended, each path once. */
export function withFiles(current: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...current, ...added])];
}

type AttachmentPanelProps = {
  conversationId: number;
  /** The real paths of the picked files, in the order they go out. */
  paths: string[];
  replyToWamid: string | null;
  onPathsChange: (paths: string[]) => void;
  /** Every file was queued. */
  onSent: () => void;
};

/**
 * The files picked to send, each previewed as the customer will see it (the picture of a
 * photo or sticker, a typed card otherwise) with its caption and, before anything is sent,
 * why WhatsApp would refuse it. Send queues them one by one, in order.
 */
export function AttachmentPanel({ conversationId, paths, replyToWamid, onPathsChange, onSent }: AttachmentPanelProps) {
  const send = useSendMedia(conversationId);
  const staged = useStagedFiles(paths);
  const [captions, setCaptions] = useState<Record<string, string>>({});
  const [voice, setVoice] = useState<Record<string, boolean>>({});
  const [sendErrors, setSendErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);
  // Per file, kept until its send succeeds, so pressing Send again cannot send it twice.
  const pendingKeys = useRef(new Map<string, string>());

  const stagedOf = (path: string) => staged[paths.indexOf(path)]?.data;
  const reading = staged.some((query) => query.isPending);
  const refused = staged.some((query) => query.isError || query.data?.problem);

  const forget = (path: string) => {
    pendingKeys.current.delete(path);
    setSendErrors((current) => Object.fromEntries(Object.entries(current).filter(([other]) => other !== path)));
  };

  const submit = async () => {
    if (sending || reading || refused) return;
    setSending(true);
    let remaining = [...paths];
    for (const [index, path] of paths.entries()) {
      const file = stagedOf(path);
      const caption = captions[path]?.trim() ?? "";
      const key = pendingKeys.current.get(path) ?? newIdempotencyKey();
      pendingKeys.current.set(path, key);
      try {
        await send.mutateAsync({
          conversationId,
          idempotencyKey: key,
          path,
          kind: file?.kind ?? null,
          caption: takesCaption(file) && caption ? caption : null,
          // A reply quotes once, with the first file.
          replyToWamid: index === 0 ? replyToWamid : null,
          voice: canBeVoiceNote(file) && (voice[path] ?? false),
        });
        forget(path);
        remaining = remaining.filter((other) => other !== path);
      } catch (error) {
        setSendErrors((current) => ({ ...current, [path]: toIpcError(error).message }));
        setSending(false);
        onPathsChange(remaining);
        return;
      }
    }
    setSending(false);
    onSent();
  };

  const count = paths.length;
  return (
    <section aria-label="Files to send" className="mx-3 mt-2 rounded-lg border border-zinc-300 bg-white p-3 shadow-sm dark:border-zinc-600 dark:bg-zinc-800">
      <ul className="flex max-h-72 flex-col gap-2 overflow-y-auto">
        {paths.map((path, index) => {
          const query = staged[index];
          return (
            <AttachmentCard
              key={path}
              fileName={query?.data?.fileName ?? fileNameOf(path)}
              staged={query?.data}
              error={sendErrors[path] ?? (query?.isError ? toIpcError(query.error).message : null)}
              caption={captions[path] ?? ""}
              onCaptionChange={(caption) => {
                setCaptions((current) => ({ ...current, [path]: caption }));
                // A changed caption is a different message: it gets a new key.
                pendingKeys.current.delete(path);
              }}
              voice={voice[path] ?? false}
              onVoiceChange={(checked) => setVoice((current) => ({ ...current, [path]: checked }))}
              onRemove={() => {
                forget(path);
                onPathsChange(paths.filter((other) => other !== path));
              }}
              disabled={sending}
            />
          );
        })}
      </ul>
      {refused ? (
        <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-300">Remove the files WhatsApp would refuse to send the others.</p>
      ) : null}
      <div className="mt-2 flex justify-end gap-2">
        <button
          type="button"
          onClick={() => onPathsChange([])}
          disabled={sending}
          className="rounded-full px-3 py-1 text-sm text-zinc-700 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-200 dark:hover:bg-zinc-700"
        >
          Cancel
        </button>
        <button
          type="button"
          onClick={() => void submit()}
          disabled={sending || reading || refused}
          className="rounded-full bg-emerald-600 px-4 py-1 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
        >
          {count === 1 ? "Send file" : `Send ${count} files`}
        </button>
      </div>
    </section>
  );
}
