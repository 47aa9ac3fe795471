import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { commands, type MessageCursor, type MessagePage } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";
import { queryKeys } from "../../../lib/query-keys";

export const MESSAGE_PAGE_SIZE = 50;

export function getMessages(conversationId: number, before: MessageCursor | null): Promise<MessagePage> {
  return callBackend(() => commands.listMessages(conversationId, before, MESSAGE_PAGE_SIZE));
}

/**
 * Pages go backwards in time: the first page is the newest, each next page is older,
 * fetched with the previous page's cursor.
 */
export function getMessagesQueryOptions(conversationId: number) {
  return infiniteQueryOptions({
    queryKey: queryKeys.messages(conversationId),
    queryFn: ({ pageParam }) => getMessages(conversationId, pageParam),
    initialPageParam: null as MessageCursor | null,
    getNextPageParam: (lastPage) => (lastPage.hasMore ? lastPage.nextCursor : null),
  });
}

export function useMessages(conversationId: number) {
  return useInfiniteQuery(getMessagesQueryOptions(conversationId));
}
