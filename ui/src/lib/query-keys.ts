// Query keys live in the shared layer so that feature query options and the backend
// event bridge agree on them without features importing each other.
export const queryKeys = {
  conversations: () => ["conversations"] as const,
  allMessages: () => ["messages"] as const,
  messages: (conversationId: number) => ["messages", conversationId] as const,
  allServiceWindows: () => ["service-window"] as const,
  serviceWindow: (conversationId: number) => ["service-window", conversationId] as const,
  templates: () => ["templates"] as const,
  stagedFile: (path: string) => ["staged-file", path] as const,
  settings: () => ["settings"] as const,
  quickReplies: () => ["quick-replies"] as const,
};
