import { useMemo, useState } from "react";
import type { ConversationSummary, Message } from "../../../bindings";
import { displayName } from "../../../lib/contact-name";
import { toIpcError } from "../../../lib/ipc-error";
import { newIdempotencyKey, useResendMessage, useSendReaction } from "../api/sending";
import { useFileDrop } from "../hooks/use-file-drop";
import { useMarkReadOnOpen } from "../hooks/use-mark-read-on-open";
import { ThreadActionsContext, type ThreadActions } from "../thread-actions";
import { withFiles } from "./attachment-panel";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import { ThreadHeader } from "./thread-header";

/** The right-hand pane: one conversation's header, messages and composer. */
export function ThreadPane({ conversation }: { conversation: ConversationSummary }) {
  useMarkReadOnOpen(conversation);
  const [replyingTo, setReplyingTo] = useState<Message | null>(null);
  const [attachments, setAttachments] = useState<string[]>([]);
  const { dragging } = useFileDrop((paths) => setAttachments((current) => withFiles(current, paths)));
  const sendReaction = useSendReaction(conversation.id);
  const resend = useResendMessage(conversation.id);
  const actions = useMemo<ThreadActions>(
    () => ({
      replyTo: setReplyingTo,
      react: (message, emoji) => sendReaction.mutate({ idempotencyKey: newIdempotencyKey(), messageId: message.id, emoji }),
      resend: (message) => resend.mutate({ messageId: message.id, key: newIdempotencyKey() }),
    }),
    // The mutation objects change identity every render; their `mutate` functions do not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [sendReaction.mutate, resend.mutate],
  );
  const actionError = sendReaction.error ?? resend.error;
  return (
    <ThreadActionsContext.Provider value={actions}>
      <section
        data-testid="thread"
        aria-label={`Conversation with ${displayName(conversation)}`}
        className="flex h-full min-h-0 flex-col"
      >
        <ThreadHeader conversation={conversation} />
        <div className="relative min-h-0 flex-1 bg-[#efeae2] dark:bg-[#0b141a]">
          <MessageList key={conversation.id} conversation={conversation} />
          {dragging ? (
            <div
              data-testid="drop-target"
              className="pointer-events-none absolute inset-2 flex items-center justify-center rounded-lg border-2 border-dashed border-emerald-600 bg-white/70 text-sm font-medium text-emerald-800 dark:bg-zinc-900/70 dark:text-emerald-200"
            >
              Drop files to send them
            </div>
          ) : null}
        </div>
        {actionError ? (
          <p role="alert" className="bg-red-50 px-3 py-1 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">
            {toIpcError(actionError).message}
          </p>
        ) : null}
        <Composer
          conversationId={conversation.id}
          contactName={displayName(conversation)}
          replyingTo={replyingTo}
          onCancelReply={() => setReplyingTo(null)}
          attachments={attachments}
          onAttachmentsChange={setAttachments}
        />
      </section>
    </ThreadActionsContext.Provider>
  );
}
