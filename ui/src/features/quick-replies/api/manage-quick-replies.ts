import { useMutation, useQueryClient } from "@tanstack/react-query";
import { commands, type QuickReply, type QuickReplyInput } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";
import { queryKeys } from "../../../lib/query-keys";

function useRefreshQuickReplies() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.quickReplies() });
}

/** Creates a quick reply, or changes the one with `id`. */
export function useSaveQuickReply() {
  const refresh = useRefreshQuickReplies();
  return useMutation({
    mutationFn: ({ id, input }: { id: number | null; input: QuickReplyInput }): Promise<QuickReply> =>
      callBackend(() => (id === null ? commands.createQuickReply(input) : commands.updateQuickReply(id, input))),
    onSuccess: refresh,
  });
}

export function useDeleteQuickReply() {
  const refresh = useRefreshQuickReplies();
  return useMutation({
    mutationFn: (id: number): Promise<null> => callBackend(() => commands.deleteQuickReply(id)),
    onSuccess: refresh,
  });
}
