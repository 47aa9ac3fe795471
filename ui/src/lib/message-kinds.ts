// Human labels for WhatsApp message types, shared by list previews and thread bubbles.
const MEDIA_KINDS = ["image", "video", "audio", "document", "sticker"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export function isMediaKind(kind: string): kind is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(kind);
}

const KIND_LABELS: Record<string, string> = {
  image: "Photo",
  video: "Video",
  audio: "Audio",
  document: "Document",
  sticker: "Sticker",
  location: "Location",
  contacts: "Contact card",
  interactive: "Reply",
  button: "Button reply",
  order: "Order",
  reaction: "Reaction",
  request_welcome: "Started a chat",
  system: "System message",
  unsupported: "Unsupported message",
  template: "Template",
  revoked: "Message deleted",
};

/** The label for a kind, or null when the kind is unknown to this version of the app. */
export function kindLabel(kind: string, options: { voice?: boolean } = {}): string | null {
  if (kind === "audio" && options.voice) return "Voice message";
  return KIND_LABELS[kind] ?? null;
}
