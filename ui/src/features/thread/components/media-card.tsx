import type { ReactNode } from "react";
import type { MediaInfo } from "../../../bindings";
import { FileIcon, HeadphonesIcon, ImageIcon, MicIcon, StickerIcon, VideoIcon } from "../../../components/ui/icons";
import { formatFileSize } from "../../../lib/format-size";
import { percentOf, useMediaProgress } from "../../../lib/media-progress";
import { kindLabel, type MediaKind } from "../../../lib/message-kinds";

const MEDIA_ICONS: Record<MediaKind, ReactNode> = {
  image: <ImageIcon />,
  video: <VideoIcon />,
  audio: <HeadphonesIcon />,
  document: <FileIcon />,
  sticker: <StickerIcon />,
};

const STATE_LABELS: Record<MediaInfo["state"], string> = {
  pending: "Waiting to download",
  downloading: "Downloading…",
  downloaded: "Downloaded",
  local: "Saved on this computer",
  failed: "Download failed",
  expired: "No longer available from WhatsApp",
};

/**
 * A typed card for an attachment: what it is, its name and size, and where its download stands.
 * `actions` holds what the owner can do with it (retry, open, save).
 */
export function MediaCard({
  kind,
  media,
  messageId,
  actions,
  hideState = false,
}: {
  kind: MediaKind;
  media: MediaInfo | null;
  /** Whose download progress to show while it downloads. */
  messageId?: number;
  actions?: ReactNode;
  hideState?: boolean;
}) {
  const label = kindLabel(kind, { voice: media?.voice ?? false }) ?? kind;
  const icon = kind === "audio" && media?.voice ? <MicIcon /> : MEDIA_ICONS[kind];
  const facts = [
    media?.sizeBytes != null ? formatFileSize(media.sizeBytes) : null,
    media?.mimeType ?? null,
    media?.animated ? "Animated" : null,
  ].filter((fact): fact is string => fact !== null);
  const state = media?.state ?? "pending";
  const percent = percentOf(useMediaProgress(messageId));
  const problem = state === "failed" || state === "expired";
  return (
    <div
      data-testid="media-card"
      data-media-state={state}
      className="mb-1 flex min-w-56 items-center gap-3 rounded-md bg-black/5 p-2 dark:bg-white/10"
    >
      <span className="flex size-10 shrink-0 items-center justify-center rounded-md bg-white/70 text-xl text-zinc-600 dark:bg-black/20 dark:text-zinc-300">
        {icon}
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm font-medium" dir="auto">
          {media?.fileName ?? label}
        </span>
        <span className="block truncate text-xs text-zinc-600 dark:text-zinc-400">
          {media?.fileName ? [label, ...facts].join(" · ") : facts.join(" · ") || label}
        </span>
        {hideState ? null : (
          <span className={`block text-xs ${problem ? "text-red-600 dark:text-red-400" : "text-zinc-500 dark:text-zinc-400"}`}>
            {STATE_LABELS[state]}
          </span>
        )}
        {state === "failed" && media?.lastError ? (
          <span className="block truncate text-xs text-red-600 dark:text-red-400" title={media.lastError}>
            {media.lastError}
          </span>
        ) : null}
        {state === "pending" || state === "downloading" ? (
          <span
            role="progressbar"
            aria-label="Downloading"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent ?? undefined}
            className="mt-1 block h-1 w-full overflow-hidden rounded bg-black/10 dark:bg-white/10"
          >
            {percent === null ? (
              <span className="block h-full w-1/3 animate-pulse rounded bg-emerald-500" />
            ) : (
              <span className="block h-full rounded bg-emerald-500" style={{ width: `${percent}%` }} />
            )}
          </span>
        ) : null}
        {actions ? <span className="mt-1 flex gap-2">{actions}</span> : null}
      </span>
    </div>
  );
}
