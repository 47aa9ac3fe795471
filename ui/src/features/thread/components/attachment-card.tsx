import type { ReactNode } from "react";
import type { MediaKind, StagedFile } from "../../../bindings";
import { FileIcon, HeadphonesIcon, ImageIcon, MicIcon, StickerIcon, VideoIcon } from "../../../components/ui/icons";
import { formatFileSize } from "../../../lib/format-size";
import { previewUrl } from "../../../lib/media-url";

const KIND_ICONS: Record<MediaKind, ReactNode> = {
  image: <ImageIcon />,
  video: <VideoIcon />,
  audio: <HeadphonesIcon />,
  document: <FileIcon />,
  sticker: <StickerIcon />,
};

const KIND_LABELS: Record<MediaKind, string> = {
  image: "Photo",
  video: "Video",
  audio: "Audio",
  document: "Document",
  sticker: "Sticker",
};

/** WhatsApp shows a caption under photos, videos and documents only. */
export function takesCaption(file: StagedFile | undefined): boolean {
  return file?.kind === "image" || file?.kind === "video" || file?.kind === "document";
}

/** Only an OGG (Opus) file can go as a voice note. */
export function canBeVoiceNote(file: StagedFile | undefined): boolean {
  return file?.kind === "audio" && file.mimeType === "audio/ogg";
}

type AttachmentCardProps = {
  fileName: string;
  /** Undefined while the backend is still reading the file. */
  staged: StagedFile | undefined;
  /** Why the backend could not look at the file, or why sending it failed. */
  error: string | null;
  caption: string;
  onCaptionChange: (caption: string) => void;
  voice: boolean;
  onVoiceChange: (voice: boolean) => void;
  onRemove: () => void;
  disabled: boolean;
};

/**
 * One file picked to send: the picture itself for a photo or sticker, otherwise a card with
 * its type icon, name, size and type; its caption, and why WhatsApp would refuse it.
 */
export function AttachmentCard({ fileName, staged, error, caption, onCaptionChange, voice, onVoiceChange, onRemove, disabled }: AttachmentCardProps) {
  const kind = staged?.kind ?? null;
  const problem = staged?.problem ?? error;
  const facts = [
    kind ? KIND_LABELS[kind] : null,
    staged?.sizeBytes != null ? formatFileSize(staged.sizeBytes) : null,
    staged?.mimeType ?? null,
  ].filter((fact): fact is string => fact !== null);
  return (
    <li
      data-testid="attachment"
      data-kind={kind ?? "unknown"}
      aria-label={fileName}
      className={`flex gap-3 rounded-md p-2 ${problem ? "bg-red-50 dark:bg-red-950/40" : "bg-black/5 dark:bg-white/10"}`}
    >
      {staged?.previewSha256 ? (
        <img
          src={previewUrl(staged.previewSha256)}
          alt={`Preview of ${fileName}`}
          className={`size-20 shrink-0 rounded object-cover ${kind === "sticker" ? "bg-transparent object-contain" : "bg-zinc-200 dark:bg-zinc-700"}`}
        />
      ) : (
        <span
          data-testid="attachment-icon"
          className="flex size-20 shrink-0 items-center justify-center rounded bg-white/70 text-3xl text-zinc-600 dark:bg-black/20 dark:text-zinc-300"
        >
          {kind === "audio" && voice ? <MicIcon /> : kind ? KIND_ICONS[kind] : <FileIcon />}
        </span>
      )}
      <div className="min-w-0 flex-1">
        <div className="flex items-start gap-2">
          <div className="min-w-0 flex-1">
            <p className="truncate text-sm font-medium" title={staged?.path}>
              {fileName}
            </p>
            <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">{staged ? facts.join(" · ") : "Reading the file…"}</p>
          </div>
          <button
            type="button"
            onClick={onRemove}
            disabled={disabled}
            aria-label={`Remove ${fileName}`}
            className="rounded px-1.5 text-zinc-500 hover:bg-black/10 hover:text-zinc-800 disabled:opacity-50 dark:hover:bg-white/10"
          >
            ✕
          </button>
        </div>
        {problem ? (
          <p role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300">
            {problem}
          </p>
        ) : null}
        {!staged?.problem && takesCaption(staged) ? (
          <input
            aria-label={`Caption for ${fileName}`}
            value={caption}
            onChange={(event) => onCaptionChange(event.target.value)}
            placeholder="Add a caption"
            className="mt-1 w-full rounded border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-600 dark:bg-zinc-900"
          />
        ) : null}
        {canBeVoiceNote(staged) ? (
          <label className="mt-1 flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-300">
            <input type="checkbox" checked={voice} onChange={(event) => onVoiceChange(event.target.checked)} />
            Send as a voice note
          </label>
        ) : null}
      </div>
    </li>
  );
}
