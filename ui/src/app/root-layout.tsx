import { useState } from "react";
import { EmptyState } from "../components/ui/empty-state";
import { ChatIcon } from "../components/ui/icons";
import { AccountProblemBanner } from "../features/account/components/account-problem-banner";
import { useConversations } from "../features/inbox/api/get-conversations";
import { ConversationList } from "../features/inbox/components/conversation-list";
import { ThreadPane } from "../features/thread/components/thread-pane";
import { AppMenu } from "./app-menu";

/** WhatsApp-Web-style split pane: conversations on the left, the open thread on the right. */
export function RootLayout() {
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const conversations = useConversations();
  const selected = conversations.data?.find((conversation) => conversation.id === selectedId) ?? null;

  return (
    <div className="grid h-screen grid-cols-[minmax(280px,30%)_1fr] overflow-hidden bg-zinc-100 text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <aside className="min-h-0 border-r border-zinc-200 dark:border-zinc-800">
        <ConversationList selectedId={selected?.id ?? null} onSelect={setSelectedId} actions={<AppMenu />} />
      </aside>
      <AccountProblemBanner />
      <main className="min-h-0 min-w-0">
        {selected ? (
          <ThreadPane key={selected.id} conversation={selected} />
        ) : (
          <div className="flex h-full items-center justify-center bg-zinc-50 dark:bg-zinc-900/60">
            <EmptyState icon={<ChatIcon />} title="ChatSphere">
              Select a conversation on the left to read it. Your history is stored on this computer, so it stays
              available offline.
            </EmptyState>
          </div>
        )}
      </main>
    </div>
  );
}
