import { commands } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";

/** The quick reply's text with the conversation's contact filled in. */
export function fillQuickReply(id: number, conversationId: number): Promise<string> {
  return callBackend(() => commands.fillQuickReply(id, conversationId));
}
