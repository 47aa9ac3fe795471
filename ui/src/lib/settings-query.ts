// The owner's settings, read by several features (the settings screen, the composer).
import { queryOptions, useQuery } from "@tanstack/react-query";
import { commands, type Settings } from "../bindings";
import { callBackend } from "./ipc-error";
import { queryKeys } from "./query-keys";

export const settingsQueryOptions = queryOptions({
  queryKey: queryKeys.settings(),
  queryFn: (): Promise<Settings> => callBackend(() => commands.getSettings()),
  staleTime: Infinity,
});

export function useSettings() {
  return useQuery(settingsQueryOptions);
}
