import type { QueryClient } from "@tanstack/react-query";
import type { UnlistenFn } from "@tauri-apps/api/event";
import { events } from "../bindings";
import { hasBackend } from "./ipc-error";
import { recordMediaProgress } from "./media-progress";
import { queryKeys } from "./query-keys";

/**
 * Subscribes once to the backend's change events and turns them into query
 * invalidations; components never receive pushed data directly.
 * Returns a synchronous cleanup that also handles listeners still being registered.
 */
export function subscribeToBackendEvents(queryClient: QueryClient): () => void {
  // In a plain browser tab there is nothing to listen to; reads report that themselves.
  if (!hasBackend()) return () => {};
  let disposed = false;
  const unlisteners: UnlistenFn[] = [];

  const keep = (pending: Promise<UnlistenFn>) => {
    pending
      .then((unlisten) => {
        if (disposed) unlisten();
        else unlisteners.push(unlisten);
      })
      .catch((error: unknown) => {
        console.error("Could not subscribe to backend events", error);
      });
  };

  keep(
    events.conversationsChanged.listen(({ payload }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations() });
      // No ids: the backend could not say what changed (this window missed changes),
      // so every open thread reloads too.
      if (payload.conversationIds.length === 0) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.allMessages() });
        void queryClient.invalidateQueries({ queryKey: queryKeys.allServiceWindows() });
      }
    }),
  );
  keep(
    events.messagesChanged.listen(({ payload }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.messages(payload.conversationId) });
      // A customer's message reopens the 24-hour window.
      void queryClient.invalidateQueries({ queryKey: queryKeys.serviceWindow(payload.conversationId) });
      // The list shows the last message, unread count and order, all of which may move.
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversations() });
    }),
  );

  keep(
    events.mediaProgress.listen(({ payload }) => {
      recordMediaProgress(payload.messageId, { receivedBytes: payload.receivedBytes, totalBytes: payload.totalBytes });
    }),
  );

  return () => {
    disposed = true;
    for (const unlisten of unlisteners.splice(0)) unlisten();
  };
}
