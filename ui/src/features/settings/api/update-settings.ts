import { useMutation, useQueryClient } from "@tanstack/react-query";
import { commands, type Settings } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";
import { queryKeys } from "../../../lib/query-keys";

/** Saves the settings; the running app applies them at once. */
export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: Settings): Promise<Settings> => callBackend(() => commands.updateSettings(settings)),
    onSuccess: (applied) => queryClient.setQueryData(queryKeys.settings(), applied),
  });
}
