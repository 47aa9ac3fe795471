// The owner's quick replies, managed in their own screen and offered in the composer.
import { queryOptions, useQuery } from "@tanstack/react-query";
import { commands, type QuickReply } from "../bindings";
import { callBackend } from "./ipc-error";
import { queryKeys } from "./query-keys";

export const quickRepliesQueryOptions = queryOptions({
  queryKey: queryKeys.quickReplies(),
  queryFn: (): Promise<QuickReply[]> => callBackend(() => commands.listQuickReplies()),
});

export function useQuickReplies() {
  return useQuery(quickRepliesQueryOptions);
}

/** The `{{variables}}` still in a text, in order, each once. */
export function unfilledVariables(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(/\{\{\s*\w+\s*\}\}/g), (match) => match[0]))];
}
