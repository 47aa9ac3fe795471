import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import type { ConversationSummary } from "../../../bindings";
import { EmptyState } from "../../../components/ui/empty-state";
import { ErrorState } from "../../../components/ui/error-state";
import { ArchiveIcon, ArrowLeftIcon, ChatIcon, SearchIcon } from "../../../components/ui/icons";
import { Skeleton } from "../../../components/ui/skeleton";
import { useNow } from "../../../hooks/use-now";
import { useConversations } from "../api/get-conversations";
import { arrangeConversations } from "../hooks/arrange-conversations";
import { ConversationRow, conversationOptionId } from "./conversation-row";

const ROW_HEIGHT = 72;

type ConversationListProps = {
  selectedId: number | null;
  onSelect: (conversationId: number) => void;
  /** Buttons at the right of the header (settings, quick replies). */
  actions?: ReactNode;
};

export function ConversationList({ selectedId, onSelect, actions }: ConversationListProps) {
  const conversations = useConversations();
  const [query, setQuery] = useState("");
  const [showArchived, setShowArchived] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);

  const arranged = useMemo(
    () => arrangeConversations(conversations.data ?? [], { query, showArchived }),
    [conversations.data, query, showArchived],
  );

  return (
    <section
      data-testid="conversation-list"
      aria-label="Chats"
      className="flex h-full min-h-0 flex-col bg-white dark:bg-zinc-900"
    >
      <header className="flex h-16 shrink-0 items-center px-4">
        <h1 className="flex-1 text-xl font-semibold text-zinc-900 dark:text-zinc-100">
          {showArchived ? "Archived" : "Chats"}
        </h1>
        {actions}
      </header>
      <div className="shrink-0 px-3 pb-2">
        <label className="flex items-center gap-2 rounded-lg bg-zinc-100 px-3 py-1.5 text-zinc-500 focus-within:ring-2 focus-within:ring-emerald-600 dark:bg-zinc-800 dark:text-zinc-400">
          <SearchIcon className="size-4 shrink-0" />
          <input
            type="search"
            aria-label="Search conversations"
            placeholder="Search name or number"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "ArrowDown") {
                event.preventDefault();
                listRef.current?.focus();
              }
            }}
            className="w-full bg-transparent text-sm text-zinc-900 outline-none placeholder:text-zinc-500 dark:text-zinc-100"
          />
        </label>
      </div>
      {showArchived ? (
        <button
          type="button"
          onClick={() => setShowArchived(false)}
          className="flex h-12 shrink-0 items-center gap-4 px-6 text-left text-sm text-emerald-700 hover:bg-zinc-100 dark:text-emerald-400 dark:hover:bg-zinc-800"
        >
          <ArrowLeftIcon className="size-5" />
          Back to chats
        </button>
      ) : arranged.archivedCount > 0 ? (
        <button
          type="button"
          onClick={() => setShowArchived(true)}
          className="flex h-12 shrink-0 items-center gap-4 px-6 text-left text-[15px] text-zinc-900 hover:bg-zinc-100 dark:text-zinc-100 dark:hover:bg-zinc-800"
        >
          <ArchiveIcon className="size-5 text-emerald-600 dark:text-emerald-400" />
          <span className="flex-1">Archived ({arranged.archivedCount})</span>
          {arranged.archivedUnread > 0 ? (
            <span className="text-xs font-medium text-emerald-600 dark:text-emerald-400">{arranged.archivedUnread}</span>
          ) : null}
        </button>
      ) : null}
      <div className="relative min-h-0 flex-1">
        {conversations.isPending ? (
          <ConversationListSkeleton />
        ) : conversations.isError ? (
          <ErrorState
            title="Couldn't load conversations"
            error={conversations.error}
            onRetry={() => void conversations.refetch()}
          />
        ) : conversations.data.length === 0 ? (
          <EmptyState icon={<ChatIcon />} title="No conversations yet">
            Messages from your customers appear here as soon as WhatsApp is connected and someone writes to your
            business number.
          </EmptyState>
        ) : arranged.visible.length === 0 ? (
          <EmptyState title={query.trim() ? `No chats match “${query.trim()}”` : "No archived chats"} />
        ) : (
          <VirtualConversationListbox
            key={showArchived ? "archived" : "chats"}
            listRef={listRef}
            conversations={arranged.visible}
            selectedId={selectedId}
            onSelect={onSelect}
          />
        )}
      </div>
    </section>
  );
}

type ListboxProps = ConversationListProps & {
  conversations: ConversationSummary[];
  listRef: RefObject<HTMLDivElement | null>;
};

function VirtualConversationListbox({ conversations, selectedId, onSelect, listRef }: ListboxProps) {
  const now = useNow();
  const selectedIndex = conversations.findIndex((conversation) => conversation.id === selectedId);
  const [activeIndex, setActiveIndex] = useState(Math.max(selectedIndex, 0));
  // The active row may have moved or disappeared after a refresh or a search.
  const clampedActive = Math.min(activeIndex, conversations.length - 1);
  const active = conversations[clampedActive];

  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => conversations[index]?.id ?? index,
    overscan: 8,
  });

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(index, conversations.length - 1));
    setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? ROW_HEIGHT * 8) / ROW_HEIGHT) - 1);
    const handlers: Record<string, () => void> = {
      ArrowDown: () => moveTo(clampedActive + 1),
      ArrowUp: () => moveTo(clampedActive - 1),
      Home: () => moveTo(0),
      End: () => moveTo(conversations.length - 1),
      PageDown: () => moveTo(clampedActive + page),
      PageUp: () => moveTo(clampedActive - page),
      Enter: () => {
        if (active) onSelect(active.id);
      },
      " ": () => {
        if (active) onSelect(active.id);
      },
    };
    const handler = handlers[event.key];
    if (handler) {
      event.preventDefault();
      handler();
    }
  };

  return (
    <div
      ref={listRef}
      role="listbox"
      aria-label="Conversations"
      tabIndex={0}
      aria-activedescendant={active ? conversationOptionId(active.id) : undefined}
      onKeyDown={onKeyDown}
      className="group absolute inset-0 overflow-y-auto outline-none [contain:strict]"
    >
      <div style={{ height: virtualizer.getTotalSize() }} className="relative w-full">
        {virtualizer.getVirtualItems().map((item) => {
          const conversation = conversations[item.index];
          if (!conversation) return null;
          return (
            <ConversationRow
              key={item.key}
              conversation={conversation}
              selected={conversation.id === selectedId}
              active={item.index === clampedActive}
              onSelect={() => {
                setActiveIndex(item.index);
                onSelect(conversation.id);
              }}
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              now={now}
            />
          );
        })}
      </div>
    </div>
  );
}

function ConversationListSkeleton() {
  return (
    <div role="status" aria-label="Loading conversations" data-testid="conversations-loading" className="space-y-1 px-3">
      {Array.from({ length: 8 }, (_, index) => (
        <div key={index} className="flex h-[72px] items-center gap-3">
          <Skeleton className="size-12 rounded-full" />
          <div className="flex-1 space-y-2">
            <Skeleton className="h-3.5 w-2/5" />
            <Skeleton className="h-3 w-4/5" />
          </div>
        </div>
      ))}
    </div>
  );
}
