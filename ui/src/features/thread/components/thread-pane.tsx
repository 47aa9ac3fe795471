import type { ConversationSummary } from "../../../bindings";
import { displayName } from "../../../lib/contact-name";
import { useMarkReadOnOpen } from "../hooks/use-mark-read-on-open";
import { MessageList } from "./message-list";
import { ThreadHeader } from "./thread-header";

/** The right-hand pane: one conversation's header and messages. */
export function ThreadPane({ conversation }: { conversation: ConversationSummary }) {
  useMarkReadOnOpen(conversation);
  return (
    <section
      data-testid="thread"
      aria-label={`Conversation with ${displayName(conversation)}`}
      className="flex h-full min-h-0 flex-col"
    >
      <ThreadHeader conversation={conversation} />
      <div className="min-h-0 flex-1 bg-[#efeae2] dark:bg-[#0b141a]">
        <MessageList key={conversation.id} conversation={conversation} />
      </div>
    </section>
  );
}
