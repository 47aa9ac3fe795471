import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ConversationSummary } from "../../../bindings";
import { EmptyState } from "../../../components/ui/empty-state";
import { ErrorState } from "../../../components/ui/error-state";
import { ChatIcon } from "../../../components/ui/icons";
import { Skeleton } from "../../../components/ui/skeleton";
import { useNow } from "../../../hooks/use-now";
import { displayName } from "../../../lib/contact-name";
import { cx } from "../../../lib/cx";
import { formatDayLabel } from "../../../lib/format-time";
import { useMessages } from "../api/get-messages";
import { buildThreadRows, type ThreadRow } from "../hooks/build-thread-rows";
import { MessageBubble } from "./message-bubble";

/** Within this many pixels of the bottom, new messages keep the view pinned to the end. */
const STICK_TO_BOTTOM_PX = 120;
/** Older messages are fetched once the reader scrolls this close to the top. */
const LOAD_OLDER_WITHIN_PX = 200;

export function MessageList({ conversation }: { conversation: ConversationSummary }) {
  const messages = useMessages(conversation.id);
  const rows = useMemo(
    // Pages arrive newest first; each page is oldest-first inside.
    () => buildThreadRows([...(messages.data?.pages ?? [])].reverse().flatMap((page) => page.messages)),
    [messages.data],
  );

  if (messages.isPending) return <ThreadSkeleton />;
  if (messages.isError && !messages.data) {
    return (
      <div className="flex h-full items-center justify-center">
        <ErrorState title="Couldn't load messages" error={messages.error} onRetry={() => void messages.refetch()} />
      </div>
    );
  }
  if (rows.length === 0) {
    return (
      <div className="flex h-full items-center justify-center">
        <EmptyState icon={<ChatIcon />} title="No messages yet">
          Nothing has been said in this conversation so far. New messages show up here as they arrive.
        </EmptyState>
      </div>
    );
  }
  return (
    <VirtualThread
      rows={rows}
      contactName={displayName(conversation)}
      hasOlder={messages.hasNextPage}
      loadingOlder={messages.isFetchingNextPage}
      olderError={messages.isFetchNextPageError ? messages.error : null}
      loadOlder={() => void messages.fetchNextPage()}
    />
  );
}

type VirtualThreadProps = {
  rows: ThreadRow[];
  contactName: string;
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: { message: string } | null;
  loadOlder: () => void;
};

function VirtualThread({ rows, contactName, hasOlder, loadingOlder, olderError, loadOlder }: VirtualThreadProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const atBottomRef = useRef(true);
  const [anchored, setAnchored] = useState(false);
  // Index 0 is the top row (older-page loader or start-of-history marker); rows follow.
  const count = rows.length + 1;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (index === 0 ? 40 : rows[index - 1]?.type === "day" ? 40 : 64),
    getItemKey: (index) => (index === 0 ? "top" : (rows[index - 1]?.key ?? index)),
    overscan: 10,
    paddingEnd: 16,
  });

  // Open at the newest message.
  useLayoutEffect(() => {
    virtualizer.scrollToIndex(count - 1, { align: "end" });
    // Paging older messages waits until the view sits at the bottom, or it would
    // fire at once from the initial scroll position (the top).
    const timer = window.setTimeout(() => setAnchored(true), 0);
    return () => window.clearTimeout(timer);
    // Only on mount: the thread is remounted per conversation.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Older page prepended: keep the messages the reader was looking at in place.
  const oldestKey = rows[0]?.key;
  const previous = useRef({ oldestKey, totalSize: virtualizer.getTotalSize() });
  useLayoutEffect(() => {
    const before = previous.current;
    const totalSize = virtualizer.getTotalSize();
    if (before.oldestKey !== oldestKey) {
      const offset = virtualizer.scrollOffset ?? 0;
      virtualizer.scrollToOffset(offset + (totalSize - before.totalSize));
    }
    previous.current = { oldestKey, totalSize };
  });

  // New message at the end: follow it if the reader was already at the bottom.
  const newestKey = rows[rows.length - 1]?.key;
  useEffect(() => {
    if (atBottomRef.current) virtualizer.scrollToIndex(count - 1, { align: "end" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [newestKey]);

  const items = virtualizer.getVirtualItems();
  const topVisible = items[0]?.index === 0;
  useEffect(() => {
    // Read the live scroll position: a prepend may just have moved the view down, and
    // `topVisible` from this render would then fetch yet another page.
    const nearTop = (scrollRef.current?.scrollTop ?? 0) < LOAD_OLDER_WITHIN_PX;
    if (anchored && topVisible && nearTop && hasOlder && !loadingOlder && !olderError) loadOlder();
  }, [anchored, topVisible, hasOlder, loadingOlder, olderError, loadOlder]);

  return (
    <div
      ref={scrollRef}
      role="log"
      aria-label="Messages"
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottomRef.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
      }}
      className="h-full overflow-y-auto outline-none [overflow-anchor:none]"
    >
      <div style={{ height: virtualizer.getTotalSize() }} className="relative w-full">
        {items.map((item) => {
          const row = item.index === 0 ? null : rows[item.index - 1];
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="absolute left-0 top-0 w-full"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {item.index === 0 ? (
                <HistoryStart hasOlder={hasOlder} loadingOlder={loadingOlder} olderError={olderError} onRetry={loadOlder} />
              ) : row?.type === "day" ? (
                <DaySeparator waTimestamp={row.waTimestamp} now={now} />
              ) : row?.type === "message" ? (
                <MessageBubble message={row.message} contactName={contactName} firstOfGroup={row.firstOfGroup} />
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function HistoryStart({
  hasOlder,
  loadingOlder,
  olderError,
  onRetry,
}: {
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: { message: string } | null;
  onRetry: () => void;
}) {
  const chip = "rounded-lg bg-white/90 px-3 py-1 text-xs text-zinc-600 shadow-sm dark:bg-zinc-800 dark:text-zinc-400";
  return (
    <div className="flex justify-center py-2">
      {olderError ? (
        <p role="alert" className={cx(chip, "text-red-700 dark:text-red-300")}>
          Couldn't load older messages: {olderError.message}{" "}
          <button type="button" onClick={onRetry} className="font-medium underline">
            Try again
          </button>
        </p>
      ) : hasOlder || loadingOlder ? (
        <p role="status" className={chip}>
          Loading older messages…
        </p>
      ) : (
        <p className={chip}>Start of the conversation</p>
      )}
    </div>
  );
}

function DaySeparator({ waTimestamp, now }: { waTimestamp: number; now: Date }) {
  return (
    <div className="flex justify-center py-2" data-testid="day-separator">
      <span className="rounded-lg bg-white px-3 py-1 text-xs uppercase tracking-wide text-zinc-600 shadow-sm dark:bg-zinc-800 dark:text-zinc-400">
        {formatDayLabel(waTimestamp, now)}
      </span>
    </div>
  );
}

function ThreadSkeleton() {
  const widths = ["w-2/5", "w-1/3", "w-1/2", "w-1/4", "w-2/5", "w-1/3"];
  return (
    <div role="status" aria-label="Loading messages" data-testid="messages-loading" className="space-y-3 px-[6%] py-4">
      {widths.map((width, index) => (
        <div key={index} className={cx("flex", index % 2 === 0 ? "justify-start" : "justify-end")}>
          <Skeleton className={cx("h-10 rounded-lg", width)} />
        </div>
      ))}
    </div>
  );
}
