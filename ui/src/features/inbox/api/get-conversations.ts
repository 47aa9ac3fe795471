import { queryOptions, useQuery } from "@tanstack/react-query";
import { commands, type ConversationSummary } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";
import { queryKeys } from "../../../lib/query-keys";

export function getConversations(): Promise<ConversationSummary[]> {
  return callBackend(() => commands.listConversations());
}

export function getConversationsQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.conversations(),
    queryFn: getConversations,
  });
}

export function useConversations() {
  return useQuery(getConversationsQueryOptions());
}
