import { queryOptions, useQueries } from "@tanstack/react-query";
import { commands, type StagedFile } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";
import { queryKeys } from "../../../lib/query-keys";

/** What WhatsApp will make of a picked file, checked by the backend from its bytes. */
export function stagedFileQueryOptions(path: string) {
  return queryOptions({
    queryKey: queryKeys.stagedFile(path),
    queryFn: (): Promise<StagedFile> => callBackend(() => commands.stageMedia(path)),
    // The file is read again when picked again; a preview is never refetched behind the owner's back.
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function useStagedFiles(paths: readonly string[]) {
  return useQueries({ queries: paths.map((path) => stagedFileQueryOptions(path)) });
}
