import { useMutation, useQueryClient } from "@tanstack/react-query";
import { commands } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";
import { queryKeys } from "../../../lib/query-keys";

export function markConversationRead(conversationId: number): Promise<null> {
  return callBackend(() => commands.markConversationRead(conversationId));
}

export function useMarkConversationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markConversationRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.conversations() }),
  });
}
