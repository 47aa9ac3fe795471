import type { ConversationSummary } from "../../../bindings";
import { Avatar } from "../../../components/ui/avatar";
import { MuteIcon } from "../../../components/ui/icons";
import { displayName, secondaryIdentity } from "../../../lib/contact-name";

export function ThreadHeader({ conversation }: { conversation: ConversationSummary }) {
  const name = displayName(conversation);
  const identity = secondaryIdentity(conversation);
  const business = conversation.businessName ?? `number ${conversation.phoneNumberId}`;
  return (
    <header
      data-testid="thread-header"
      className="flex h-16 shrink-0 items-center gap-3 border-b border-zinc-200 bg-zinc-50 px-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <Avatar name={name} seed={conversation.contactId} size="lg" />
      <div className="min-w-0 flex-1">
        <h2 className="truncate text-left text-base font-medium text-zinc-900 dark:text-zinc-100" dir="auto">
          {name}
        </h2>
        <p className="truncate text-xs text-zinc-600 dark:text-zinc-400">
          {identity && identity !== name ? <span data-testid="thread-contact-number">{identity} · </span> : null}
          <span data-testid="thread-business">On {business}</span>
        </p>
      </div>
      {conversation.muted ? (
        <MuteIcon role="img" aria-hidden={false} aria-label="Muted" className="size-5 text-zinc-500" />
      ) : null}
    </header>
  );
}
