import { useRef, useState, type KeyboardEvent } from "react";
import type { Message } from "../../../bindings";
import { toIpcError } from "../../../lib/ipc-error";
import { useSettings } from "../../../lib/settings-query";
import { pickFilesToSend } from "../api/pick-file";
import { newIdempotencyKey, notifyTyping, useSendText, useServiceWindow } from "../api/sending";
import { AttachmentPanel, withFiles } from "./attachment-panel";
import { useQuickReplySlash } from "./quick-reply-slash";
import { ReplyPreview } from "./reply-preview";
import { TemplatePicker } from "./template-picker";
import { WindowIndicator } from "./window-indicator";

const LINK_PATTERN = /https?:\/\/\S/;

/** How often a keystroke may ask the backend to show "typing…" to the customer. */
const TYPING_PING_MS = 10_000;

type ComposerProps = {
  conversationId: number;
  contactName: string;
  replyingTo: Message | null;
  onCancelReply: () => void;
  /** The real paths of the files chosen to send (button or drop), in order. */
  attachments: string[];
  onAttachmentsChange: (paths: string[]) => void;
};

/**
 * The box at the bottom of a thread. Enter sends, Shift+Enter starts a new line.
 * Outside the 24-hour window only templates can go out, so it offers those instead.
 */
export function Composer({ conversationId, contactName, replyingTo, onCancelReply, attachments, onAttachmentsChange }: ComposerProps) {
  const serviceWindow = useServiceWindow(conversationId);
  const send = useSendText(conversationId);
  const [text, setText] = useState("");
  const [showTemplates, setShowTemplates] = useState(false);
  // Until the owner ticks the box, the setting decides.
  const [linkPreviewChoice, setLinkPreview] = useState<boolean | null>(null);
  const settings = useSettings();
  const linkPreview = linkPreviewChoice ?? settings.data?.sending.linkPreviews ?? true;
  const textarea = useRef<HTMLTextAreaElement>(null);
  const slash = useQuickReplySlash({ conversationId, text, setText: (value) => onChange(value), textarea });
  const lastTypingPing = useRef(0);
  // Kept until the send succeeds, so retrying after an error cannot send twice.
  const pendingKey = useRef<string | null>(null);

  if (serviceWindow.isPending) return <div data-testid="composer" className="h-14 border-t border-zinc-200 dark:border-zinc-700" />;
  const open = serviceWindow.data?.open ?? false;

  const submit = () => {
    const body = text.trim();
    if (!body || send.isPending) return;
    pendingKey.current ??= newIdempotencyKey();
    send.mutate(
      { conversationId, idempotencyKey: pendingKey.current, body, replyToWamid: replyingTo?.wamid ?? null, previewUrl: linkPreview },
      {
        onSuccess: () => {
          pendingKey.current = null;
          setText("");
          onCancelReply();
        },
        onError: (error) => {
          // The window closed while the owner typed: show the templates instead.
          if (toIpcError(error).code === "outsideServiceWindow") void serviceWindow.refetch();
        },
      },
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (slash.onKeyDown(event)) return;
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const onChange = (value: string) => {
    setText(value);
    pendingKey.current = null;
    const now = Date.now();
    if (value.trim() && now - lastTypingPing.current > TYPING_PING_MS) {
      lastTypingPing.current = now;
      notifyTyping(conversationId);
    }
  };

  const attach = () => {
    void pickFilesToSend().then((paths) => {
      if (paths.length > 0) onAttachmentsChange(withFiles(attachments, paths));
    });
  };

  const sendError = send.isError ? toIpcError(send.error) : null;
  return (
    <div data-testid="composer" className="border-t border-zinc-200 bg-zinc-50 pb-2 dark:border-zinc-700 dark:bg-zinc-900">
      {serviceWindow.data ? <WindowIndicator window={serviceWindow.data} /> : null}
      {open ? (
        <>
          {replyingTo ? <ReplyPreview message={replyingTo} contactName={contactName} onCancel={onCancelReply} /> : null}
          {attachments.length > 0 ? (
            <AttachmentPanel
              conversationId={conversationId}
              paths={attachments}
              replyToWamid={replyingTo?.wamid ?? null}
              onPathsChange={onAttachmentsChange}
              onSent={() => {
                onAttachmentsChange([]);
                onCancelReply();
              }}
            />
          ) : null}
          {slash.picker}
          <div className="flex items-end gap-2 px-3 pt-2">
            <button
              type="button"
              aria-label="Attach a file"
              title="Attach a file"
              onClick={attach}
              className="rounded-full px-2 py-2 text-lg leading-none text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-700"
            >
              📎
            </button>
            <textarea
              ref={textarea}
              {...slash.textareaProps}
              aria-label="Message"
              rows={1}
              value={text}
              onChange={(event) => onChange(event.target.value)}
              onKeyDown={onKeyDown}
              placeholder="Type a message"
              className="max-h-40 min-h-[2.5rem] flex-1 resize-none rounded-lg border border-zinc-300 bg-white px-3 py-2 text-[14.5px] dark:border-zinc-600 dark:bg-zinc-800"
            />
            <button
              type="button"
              onClick={submit}
              disabled={!text.trim() || send.isPending}
              className="rounded-full bg-emerald-600 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
            >
              Send
            </button>
          </div>
          {slash.notice}
          {LINK_PATTERN.test(text) ? (
            <label className="mx-3 mt-1 flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-300">
              <input type="checkbox" checked={linkPreview} onChange={(event) => setLinkPreview(event.target.checked)} />
              Show a preview of the link
            </label>
          ) : null}
          <button
            type="button"
            onClick={() => setShowTemplates((shown) => !shown)}
            className="mx-3 mt-1 text-xs text-emerald-700 hover:underline dark:text-emerald-400"
          >
            {showTemplates ? "Hide templates" : "Use a template"}
          </button>
          {showTemplates ? <TemplatePicker conversationId={conversationId} onSent={() => setShowTemplates(false)} /> : null}
        </>
      ) : (
        <TemplatePicker conversationId={conversationId} />
      )}
      {sendError ? (
        <p role="alert" className="mx-3 mt-1 text-sm text-red-700 dark:text-red-300">
          {sendError.message}
        </p>
      ) : null}
      {serviceWindow.isError ? (
        <p role="alert" className="mx-3 mt-1 text-sm text-red-700 dark:text-red-300">
          {toIpcError(serviceWindow.error).message}
        </p>
      ) : null}
    </div>
  );
}
