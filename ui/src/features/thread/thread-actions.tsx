import { createContext, useContext } from "react";
import type { Message } from "../../bindings";

/** What a message's menu can do; provided by the open thread. */
export type ThreadActions = {
  replyTo: (message: Message) => void;
  react: (message: Message, emoji: string) => void;
  resend: (message: Message) => void;
};

export const ThreadActionsContext = createContext<ThreadActions | null>(null);

/** `null` outside a thread (e.g. a message rendered on its own in a test). */
export function useThreadActions(): ThreadActions | null {
  return useContext(ThreadActionsContext);
}
