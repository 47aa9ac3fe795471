import { useMutation } from "@tanstack/react-query";
import { commands } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";

/** Queues a failed download again; the bubble updates through the messages-changed event. */
export function useRetryMediaDownload() {
  return useMutation({
    mutationFn: (messageId: number) => callBackend(() => commands.retryMediaDownload(messageId)),
  });
}

/** Opens a downloaded file with the system's default app. */
export function useOpenMedia() {
  return useMutation({
    mutationFn: (messageId: number) => callBackend(() => commands.openMedia(messageId)),
  });
}

/** Asks where to save a downloaded file and copies it there. */
export function useSaveMediaAs() {
  return useMutation({
    mutationFn: (messageId: number) => callBackend(() => commands.saveMediaAs(messageId)),
  });
}
