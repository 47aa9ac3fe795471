import type { Message } from "../../../bindings";
import { dayKey } from "../../../lib/format-time";

export type ThreadRow =
  | { type: "day"; key: string; waTimestamp: number }
  | { type: "message"; key: string; message: Message; firstOfGroup: boolean };

/** Groups consecutive messages from the same side within this many seconds. */
const GROUP_WINDOW_SECONDS = 5 * 60;

/** Messages (oldest first) interleaved with a separator at the start of each day. */
export function buildThreadRows(messages: readonly Message[]): ThreadRow[] {
  const rows: ThreadRow[] = [];
  let previous: Message | undefined;
  for (const message of messages) {
    const day = dayKey(message.waTimestamp);
    const newDay = !previous || dayKey(previous.waTimestamp) !== day;
    if (newDay) rows.push({ type: "day", key: `day-${day}`, waTimestamp: message.waTimestamp });
    const firstOfGroup =
      newDay ||
      !previous ||
      previous.direction !== message.direction ||
      message.waTimestamp - previous.waTimestamp > GROUP_WINDOW_SECONDS;
    rows.push({ type: "message", key: `message-${message.id}`, message, firstOfGroup });
    previous = message;
  }
  return rows;
}
