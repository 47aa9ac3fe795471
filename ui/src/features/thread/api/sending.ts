import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  commands,
  type QueuedMessage,
  type ReactionToSend,
  type MediaToSend,
  type ServiceWindow,
  type Template,
  type TemplateToSend,
  type TextToSend,
} from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";
import { queryKeys } from "../../../lib/query-keys";

/** The window's time left moves on by itself; a minute is as precise as the label. */
const WINDOW_REFRESH_MS = 60_000;

/** One key per press of "send": the backend turns a repeated call into the same message. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function serviceWindowQueryOptions(conversationId: number) {
  return queryOptions({
    queryKey: queryKeys.serviceWindow(conversationId),
    queryFn: (): Promise<ServiceWindow> => callBackend(() => commands.serviceWindow(conversationId)),
    refetchInterval: WINDOW_REFRESH_MS,
  });
}

export function useServiceWindow(conversationId: number) {
  return useQuery(serviceWindowQueryOptions(conversationId));
}

export const templatesQueryOptions = queryOptions({
  queryKey: queryKeys.templates(),
  queryFn: (): Promise<Template[]> => callBackend(() => commands.listTemplates()),
});

export function useTemplates(enabled: boolean) {
  return useQuery({ ...templatesQueryOptions, enabled });
}

function useRefreshThread(conversationId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.messages(conversationId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversations() });
  };
}

export function useSendText(conversationId: number) {
  const refresh = useRefreshThread(conversationId);
  return useMutation({
    mutationFn: (text: TextToSend): Promise<QueuedMessage> => callBackend(() => commands.sendText(text)),
    onSuccess: refresh,
  });
}

export function useSendMedia(conversationId: number) {
  const refresh = useRefreshThread(conversationId);
  return useMutation({
    mutationFn: (media: MediaToSend): Promise<QueuedMessage> => callBackend(() => commands.sendMedia(media)),
    onSuccess: refresh,
  });
}

export function useSendTemplate(conversationId: number) {
  const refresh = useRefreshThread(conversationId);
  return useMutation({
    mutationFn: (send: TemplateToSend): Promise<QueuedMessage> => callBackend(() => commands.sendTemplate(send)),
    onSuccess: refresh,
  });
}

export function useSendReaction(conversationId: number) {
  const refresh = useRefreshThread(conversationId);
  return useMutation({
    mutationFn: (reaction: ReactionToSend): Promise<null> => callBackend(() => commands.sendReaction(reaction)),
    onSuccess: refresh,
  });
}

export function useResendMessage(conversationId: number) {
  const refresh = useRefreshThread(conversationId);
  return useMutation({
    mutationFn: ({ messageId, key }: { messageId: number; key: string }): Promise<QueuedMessage> =>
      callBackend(() => commands.resendMessage(messageId, key)),
    onSuccess: refresh,
  });
}

export function useImportTemplates() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (): Promise<number> => callBackend(() => commands.importTemplates()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.templates() }),
  });
}

/** Tells the customer the owner is typing; the backend limits how often it really goes out. */
export function notifyTyping(conversationId: number): void {
  callBackend(() => commands.ownerTyping(conversationId)).catch((error: unknown) => {
    console.warn("The typing indicator could not be shown", error);
  });
}
