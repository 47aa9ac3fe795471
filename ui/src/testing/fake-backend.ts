import { emit } from "@tauri-apps/api/event";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import {
  META_MEDIA_LIMITS,
  type FilePurpose,
  type ConversationSummary,
  type HeaderFileToUpload,
  type IpcError,
  type MediaToSend,
  type Message,
  type MessageCursor,
  type MessagePage,
  type QuickReply,
  type QuickReplyInput,
  type ReactionToSend,
  type ServiceWindow,
  type StagedFile,
  type Settings,
  type Template,
  type TemplateToSend,
  type TextToSend,
} from "../bindings";
import { buildMessage } from "./factories";

type CommandName =
  | "list_conversations"
  | "list_messages"
  | "mark_conversation_read"
  | "app_info"
  | "retry_media_download"
  | "open_media"
  | "save_media_as"
  | "service_window"
  | "send_text"
  | "send_reaction"
  | "resend_message"
  | "owner_typing"
  | "list_templates"
  | "import_templates"
  | "send_template"
  | "send_media"
  | "stage_media"
  | "upload_template_header"
  | "get_settings"
  | "update_settings"
  | "list_quick_replies"
  | "create_quick_reply"
  | "update_quick_reply"
  | "delete_quick_reply"
  | "fill_quick_reply"
  | "pick_files";
type RecordedCall = { command: string; args: Record<string, unknown> };

/**
 * An in-memory stand-in for the Rust commands, wired through Tauri's IPC mock, so
 * components run their real fetchers and bindings.
 */
export type FakeBackend = {
  conversations: ConversationSummary[];
  /** Per conversation, oldest first. */
  messages: Map<number, Message[]>;
  calls: RecordedCall[];
  /** Per conversation; an open window with a day left when not set. */
  windows: Map<number, ServiceWindow>;
  templates: Template[];
  /** What the attach dialog answers: real paths, or null as when the owner cancels. */
  pickedFiles: string[] | null;
  /** What `stage_media` answers per path; others are read as their extension suggests. */
  stagedFiles: Map<string, Partial<StagedFile>>;
  settings: Settings;
  quickReplies: QuickReply[];
  /** What a template header's dialog answers: a real path, or null as when the owner cancels. */
  pickedFile: string | null;
  /** Commands that reject with the given error until cleared. */
  failures: Partial<Record<CommandName, IpcError>>;
  /** Commands whose responses wait until `release()` is called. */
  held: Set<CommandName>;
  release: () => void;
  callsTo: (command: CommandName) => RecordedCall[];
  /** Paths the owner chose (dialog or drop): the only ones stage, send and upload read. */
  chosenPaths: Set<string>;
  /** Files dropped on the window: recorded as chosen, then the webview hears of the drop. */
  dropFiles: (paths: string[]) => Promise<void>;
};

/** What the backend answers for a path the owner never chose. */
function notChosen(path: string): IpcError {
  const name = path.split(/[\\/]/).pop() ?? path;
  return { code: "invalidInput", message: `${name} was not chosen in this window: choose the file again with Attach or drop it on the window` };
}

/** The backend's check of the media limits: each above zero and at most Meta's. */
function mediaLimitsProblem(limits: Settings["media"]): string | null {
  for (const [kind, most] of Object.entries(META_MEDIA_LIMITS)) {
    const limit = limits[kind as keyof Settings["media"]];
    if (!(limit > 0)) return `the size limit for ${kind} must be more than 0`;
    if (limit > most) return `the size limit for ${kind} can be at most ${most} bytes, the most WhatsApp accepts`;
  }
  return null;
}

function isOlder(message: Message, cursor: MessageCursor): boolean {
  return message.waTimestamp < cursor.waTimestamp || (message.waTimestamp === cursor.waTimestamp && message.seq < cursor.seq);
}

export function pageOf(all: readonly Message[], before: MessageCursor | null, limit: number): MessagePage {
  const sorted = [...all].sort((a, b) => a.waTimestamp - b.waTimestamp || a.seq - b.seq);
  const eligible = before ? sorted.filter((message) => isOlder(message, before)) : sorted;
  const messages = eligible.slice(Math.max(0, eligible.length - limit));
  const hasMore = eligible.length > messages.length;
  const oldest = messages[0];
  return {
    messages,
    hasMore,
    nextCursor: hasMore && oldest ? { waTimestamp: oldest.waTimestamp, seq: oldest.seq } : null,
  };
}

const TYPES_BY_EXTENSION: Record<string, [StagedFile["kind"], string]> = {
  png: ["image", "image/png"],
  jpg: ["image", "image/jpeg"],
  webp: ["sticker", "image/webp"],
  mp4: ["video", "video/mp4"],
  ogg: ["audio", "audio/ogg"],
  mp3: ["audio", "audio/mpeg"],
  pdf: ["document", "application/pdf"],
};

/** What the backend would find in a healthy file with this path's extension. */
function stagedByExtension(path: string): StagedFile {
  const fileName = path.split(/[\\/]/).pop() ?? path;
  const extension = fileName.split(".").pop()?.toLowerCase() ?? "";
  const [kind, mimeType] = TYPES_BY_EXTENSION[extension] ?? ["document", "text/plain"];
  const previewed = kind === "image" || kind === "sticker";
  return {
    path,
    fileName,
    sizeBytes: 48_213,
    mimeType,
    kind,
    previewSha256: previewed ? Array.from(fileName, (c) => c.charCodeAt(0).toString(16)).join("").padEnd(64, "0").slice(0, 64) : null,
    problem: null,
  };
}

export function installFakeBackend(
  seed: { conversations?: ConversationSummary[]; messages?: Record<number, Message[]> } = {},
): FakeBackend {
  let waiting: Array<() => void> = [];
  const backend: FakeBackend = {
    conversations: seed.conversations ?? [],
    messages: new Map(Object.entries(seed.messages ?? {}).map(([id, list]) => [Number(id), list])),
    calls: [],
    windows: new Map(),
    templates: [],
    pickedFiles: null,
    stagedFiles: new Map(),
    settings: {
      sending: { markReadOnOpen: true, typingIndicator: true, linkPreviews: true },
      graph: { version: "v26.0" },
      media: { ...META_MEDIA_LIMITS },
    },
    quickReplies: [],
    pickedFile: null,
    failures: {},
    held: new Set(),
    release: () => {
      const pending = waiting;
      waiting = [];
      for (const resume of pending) resume();
    },
    callsTo: (command) => backend.calls.filter((call) => call.command === command),
    chosenPaths: new Set(),
    dropFiles: async (paths) => {
      for (const path of paths) backend.chosenPaths.add(path);
      await emit("tauri://drag-drop", { paths, position: { x: 10, y: 10 } });
    },
  };

  const respond = (command: CommandName, args: Record<string, unknown>): unknown => {
    const failure = backend.failures[command];
    if (failure) throw failure;
    switch (command) {
      case "list_conversations":
        return structuredClone(backend.conversations);
      case "list_messages": {
        const conversationId = Number(args["conversationId"]);
        const before = (args["before"] ?? null) as MessageCursor | null;
        const limit = Number(args["limit"]);
        return structuredClone(pageOf(backend.messages.get(conversationId) ?? [], before, limit));
      }
      case "mark_conversation_read": {
        const conversationId = Number(args["conversationId"]);
        backend.conversations = backend.conversations.map((conversation) =>
          conversation.id === conversationId ? { ...conversation, unreadCount: 0, markedUnread: false } : conversation,
        );
        return null;
      }
      case "app_info":
        return { version: "0.1.0", dataDir: "/tmp/chatsphere", webhookPort: null };
      case "retry_media_download":
      case "open_media":
        return null;
      case "save_media_as":
        return true;
      case "service_window": {
        const conversationId = Number(args["conversationId"]);
        return backend.windows.get(conversationId) ?? { open: true, closesAt: null, secondsLeft: 86_400 };
      }
      case "send_text": {
        const text = args["text"] as TextToSend;
        return queue(text.conversationId, { body: text.body, replyTo: quoteOf(text.conversationId, text.replyToWamid) });
      }
      case "send_template": {
        const send = args["send"] as TemplateToSend;
        const template = backend.templates.find((candidate) => candidate.id === send.templateId);
        return queue(send.conversationId, { kind: "template", body: template?.body ?? "" });
      }
      case "send_reaction": {
        const reaction = args["reaction"] as ReactionToSend;
        for (const list of backend.messages.values()) {
          const target = list.find((message) => message.id === reaction.messageId);
          if (!target) continue;
          target.reactions = target.reactions.filter((existing) => existing.reactor !== "business");
          if (reaction.emoji) target.reactions.push({ reactor: "business", emoji: reaction.emoji });
        }
        return null;
      }
      case "resend_message": {
        const messageId = Number(args["messageId"]);
        for (const [conversationId, list] of backend.messages) {
          const target = list.find((message) => message.id === messageId);
          if (!target) continue;
          Object.assign(target, { status: "pending", error: null, sendState: "queued" });
          return { conversationId, messageId };
        }
        throw { code: "notFound", message: `message ${messageId} was not found` } satisfies IpcError;
      }
      case "send_media": {
        const media = args["media"] as MediaToSend;
        if (!backend.chosenPaths.has(media.path)) throw notChosen(media.path);
        const fileName = media.path.split(/[\\/]/).pop() ?? media.path;
        return queue(media.conversationId, {
          kind: "document",
          caption: media.caption,
          replyTo: quoteOf(media.conversationId, media.replyToWamid),
          media: {
            mimeType: null,
            fileName,
            sizeBytes: null,
            sha256: null,
            thumbnailSha256: null,
            state: "local",
            voice: media.voice,
            animated: false,
            lastError: null,
          },
        });
      }
      case "stage_media": {
        const path = args["path"] as string;
        if (!backend.chosenPaths.has(path)) throw notChosen(path);
        return { ...stagedByExtension(path), ...backend.stagedFiles.get(path) } satisfies StagedFile;
      }
      case "pick_files": {
        const picked = (args["purpose"] as FilePurpose) === "send" ? (backend.pickedFiles ?? []) : backend.pickedFile ? [backend.pickedFile] : [];
        for (const path of picked) backend.chosenPaths.add(path);
        return picked;
      }
      case "owner_typing":
        return null;
      case "list_templates":
        return structuredClone(backend.templates);
      case "import_templates":
        return backend.templates.length;
      case "upload_template_header": {
        const upload = args["upload"] as HeaderFileToUpload;
        if (!backend.chosenPaths.has(upload.path)) throw notChosen(upload.path);
        const fileName = upload.path.split(/[\\/]/).pop() ?? upload.path;
        return { mediaId: `media-${fileName}`, link: null, filename: upload.format === "document" ? fileName : null };
      }
      case "get_settings":
        return structuredClone(backend.settings);
      case "update_settings": {
        const settings = args["settings"] as Settings;
        if (!/^v\d+\.\d+$/.test(settings.graph.version.trim())) {
          throw { code: "invalidInput", message: "the Graph API version must look like v26.0" } satisfies IpcError;
        }
        const limitsProblem = mediaLimitsProblem(settings.media);
        if (limitsProblem) throw { code: "invalidInput", message: limitsProblem } satisfies IpcError;
        backend.settings = structuredClone(settings);
        return structuredClone(settings);
      }
      default:
        return respondToQuickReplies(command, args);
    }
  };

  let nextQuickReplyId = 100;
  const respondToQuickReplies = (command: CommandName, args: Record<string, unknown>): unknown => {
    const id = Number(args["id"]);
    switch (command) {
      case "list_quick_replies":
        return structuredClone(backend.quickReplies);
      case "create_quick_reply":
      case "update_quick_reply": {
        const input = args["input"] as QuickReplyInput;
        const shortcut = input.shortcut.replace(/^\//, "").trim().toLowerCase();
        if (backend.quickReplies.some((reply) => reply.shortcut === shortcut && reply.id !== id)) {
          throw { code: "invalidInput", message: `the shortcut /${shortcut} is already used` } satisfies IpcError;
        }
        const saved: QuickReply = { id: command === "create_quick_reply" ? nextQuickReplyId++ : id, shortcut, body: input.body.trim(), updatedAt: 0 };
        backend.quickReplies = [...backend.quickReplies.filter((reply) => reply.id !== saved.id), saved];
        return saved;
      }
      case "delete_quick_reply":
        backend.quickReplies = backend.quickReplies.filter((reply) => reply.id !== id);
        return null;
      case "fill_quick_reply": {
        const reply = backend.quickReplies.find((candidate) => candidate.id === id);
        const conversation = backend.conversations.find((candidate) => candidate.id === Number(args["conversationId"]));
        const name = conversation?.contactName ?? null;
        const values: Record<string, string | null> = { name, first_name: name?.split(" ")[0] ?? null };
        return (reply?.body ?? "").replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, variable: string) => values[variable] ?? whole);
      }
      default:
        throw new Error(`the fake backend has no command ${command}`);
    }
  };

  const quoteOf = (conversationId: number, wamid: string | null) => {
    if (!wamid) return null;
    const quoted = backend.messages.get(conversationId)?.find((message) => message.wamid === wamid);
    return { wamid, kind: quoted?.kind ?? null, text: quoted?.body ?? null, direction: quoted?.direction ?? null };
  };

  const queue = (conversationId: number, content: Partial<Message>) => {
    const list = backend.messages.get(conversationId) ?? [];
    const message = buildMessage({
      conversationId,
      direction: "out",
      wamid: null,
      status: "pending",
      sendState: "queued",
      waTimestamp: Math.floor(Date.now() / 1000),
      ...content,
    });
    backend.messages.set(conversationId, [...list, message]);
    return { conversationId, messageId: message.id };
  };

  // The window the app runs in, so webview APIs (native drag-and-drop) can attach.
  mockWindows("main");
  mockIPC(
    async (command, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      backend.calls.push({ command, args });
      const known = command as CommandName;
      if (backend.held.has(known)) await new Promise<void>((resume) => waiting.push(resume));
      return respond(known, args);
    },
    { shouldMockEvents: true },
  );
  return backend;
}
