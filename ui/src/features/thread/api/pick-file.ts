import { commands } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";

/**
 * Asks the system's file dialog for files to send; their real paths, none when cancelled.
 * The backend opens the dialog itself and remembers what the owner chose: it reads no
 * other file.
 */
export function pickFilesToSend(): Promise<string[]> {
  return callBackend(() => commands.pickFiles("send"));
}
