import { useState } from "react";
import type { MediaInfo, Message } from "../../../bindings";
import type { MediaKind } from "../../../lib/message-kinds";
import { mediaUrl, thumbnailUrl } from "../../../lib/media-url";
import { useOpenMedia, useRetryMediaDownload, useSaveMediaAs } from "../api/media-actions";
import { MediaCard } from "./media-card";

const ACTION_CLASS =
  "rounded px-2 py-0.5 text-xs font-medium text-emerald-700 hover:bg-emerald-50 disabled:opacity-50 dark:text-emerald-400 dark:hover:bg-white/10";

function isStored(media: MediaInfo | null): media is MediaInfo & { sha256: string } {
  return media !== null && (media.state === "downloaded" || media.state === "local") && media.sha256 !== null;
}

/** An image or sticker preview that opens the original full size. */
function PictureMedia({ kind, media }: { kind: "image" | "sticker"; media: MediaInfo & { sha256: string } }) {
  const [fullSize, setFullSize] = useState(false);
  const preview = media.thumbnailSha256 ? thumbnailUrl(media.thumbnailSha256) : mediaUrl(media.sha256);
  const label = kind === "sticker" ? "Sticker" : "Photo";
  return (
    <>
      <button type="button" className="mb-1 block" onClick={() => setFullSize(true)} aria-label={`Open ${label.toLowerCase()} full size`}>
        <img
          src={preview}
          alt={label}
          className={kind === "sticker" ? "size-32 object-contain" : "max-h-72 max-w-full rounded-md object-cover"}
        />
      </button>
      {fullSize ? (
        <div
          role="dialog"
          aria-label={`${label} full size`}
          className="fixed inset-0 z-50 flex items-center justify-center bg-black/80 p-6"
          onClick={() => setFullSize(false)}
          onKeyDown={(event) => {
            if (event.key === "Escape") setFullSize(false);
          }}
        >
          <img src={mediaUrl(media.sha256)} alt={`${label} full size`} className="max-h-full max-w-full object-contain" />
          <button type="button" className="absolute top-4 right-4 rounded bg-white/90 px-3 py-1 text-sm" onClick={() => setFullSize(false)}>
            Close
          </button>
        </div>
      ) : null}
    </>
  );
}

/** A document's card with the actions on the stored file. */
function DocumentActions({ messageId }: { messageId: number }) {
  const open = useOpenMedia();
  const save = useSaveMediaAs();
  return (
    <>
      <button type="button" className={ACTION_CLASS} disabled={open.isPending} onClick={() => open.mutate(messageId)}>
        Open
      </button>
      <button type="button" className={ACTION_CLASS} disabled={save.isPending} onClick={() => save.mutate(messageId)}>
        Save as…
      </button>
    </>
  );
}

/**
 * A message's attachment as it stands: playable or viewable once downloaded, otherwise a card
 * saying where the download is, with a retry when it failed.
 */
export function MediaBubble({ message, kind }: { message: Message; kind: MediaKind }) {
  const retry = useRetryMediaDownload();
  const { media } = message;
  if (!isStored(media)) {
    const failed = media?.state === "failed";
    return (
      <MediaCard
        kind={kind}
        media={media}
        messageId={message.id}
        actions={
          failed ? (
            <button type="button" className={ACTION_CLASS} disabled={retry.isPending} onClick={() => retry.mutate(message.id)}>
              Retry download
            </button>
          ) : undefined
        }
      />
    );
  }
  switch (kind) {
    case "image":
    case "sticker":
      return <PictureMedia kind={kind} media={media} />;
    case "video":
      // No poster frame: the first frame shows once the player loads the file's start.
      return <video controls preload="metadata" src={mediaUrl(media.sha256)} className="mb-1 max-h-72 max-w-full rounded-md" aria-label="Video" />;
    case "audio":
      return (
        <div className="mb-1" data-testid="audio-media">
          {media.voice ? <span className="block text-xs text-zinc-600 dark:text-zinc-400">Voice message</span> : null}
          <audio controls preload="metadata" src={mediaUrl(media.sha256)} aria-label={media.voice ? "Voice message" : "Audio"} />
        </div>
      );
    case "document":
      return <MediaCard kind={kind} media={media} hideState actions={<DocumentActions messageId={message.id} />} />;
  }
}
