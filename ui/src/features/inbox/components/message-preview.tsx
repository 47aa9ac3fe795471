import type { ReactNode } from "react";
import type { MessagePreview as Preview } from "../../../bindings";
import {
  BanIcon,
  CartIcon,
  ContactIcon,
  FileIcon,
  HeadphonesIcon,
  ImageIcon,
  MapPinIcon,
  ReplyIcon,
  StickerIcon,
  VideoIcon,
} from "../../../components/ui/icons";
import { StatusTicks } from "../../../components/ui/status-ticks";
import { kindLabel } from "../../../lib/message-kinds";

const KIND_ICONS: Record<string, ReactNode> = {
  image: <ImageIcon />,
  video: <VideoIcon />,
  audio: <HeadphonesIcon />,
  document: <FileIcon />,
  sticker: <StickerIcon />,
  location: <MapPinIcon />,
  contacts: <ContactIcon />,
  interactive: <ReplyIcon />,
  button: <ReplyIcon />,
  order: <CartIcon />,
};

/** The one-line summary of a conversation's last message in the list. */
export function MessagePreview({ preview }: { preview: Preview | null }) {
  if (!preview) return <span className="italic">No messages yet</span>;
  const isText = preview.kind === "text" || preview.kind === "system";
  const label = kindLabel(preview.kind);
  const text = preview.text?.trim() || (isText ? "" : (label ?? `Unsupported message: ${preview.kind}`));
  const icon = isText ? null : (KIND_ICONS[preview.kind] ?? (label ? null : <BanIcon />));
  return (
    <span className="flex min-w-0 items-center gap-1" data-testid="message-preview" data-kind={preview.kind}>
      {preview.direction === "out" && preview.status ? <StatusTicks status={preview.status} /> : null}
      {icon ? <span className="shrink-0 text-zinc-500 dark:text-zinc-400">{icon}</span> : null}
      <span className="truncate" dir="auto">
        {text}
      </span>
    </span>
  );
}
