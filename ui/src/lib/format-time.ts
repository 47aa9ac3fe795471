// WhatsApp timestamps are Unix seconds.
const DAY_MS = 86_400_000;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long" });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: "2-digit", month: "2-digit", year: "numeric" });
const longDateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "long", year: "numeric" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole calendar days between the timestamp's day and today's (0 = today). */
function daysAgo(seconds: number, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(new Date(seconds * 1000))) / DAY_MS);
}

export function formatClock(seconds: number): string {
  return timeFormat.format(new Date(seconds * 1000));
}

/** Conversation list time: today → HH:MM, yesterday, weekday within a week, else a date. */
export function formatListTime(seconds: number, now: Date = new Date()): string {
  const days = daysAgo(seconds, now);
  if (days <= 0) return formatClock(seconds);
  if (days === 1) return "Yesterday";
  if (days < 7) return weekdayFormat.format(new Date(seconds * 1000));
  return shortDateFormat.format(new Date(seconds * 1000));
}

/** Thread day separator: Today, Yesterday, weekday within a week, else a long date. */
export function formatDayLabel(seconds: number, now: Date = new Date()): string {
  const days = daysAgo(seconds, now);
  if (days <= 0) return "Today";
  if (days === 1) return "Yesterday";
  if (days < 7) return weekdayFormat.format(new Date(seconds * 1000));
  return longDateFormat.format(new Date(seconds * 1000));
}

export function formatFullTimestamp(seconds: number): string {
  return fullFormat.format(new Date(seconds * 1000));
}

/** A key that is equal for timestamps on the same local calendar day. */
export function dayKey(seconds: number): string {
  const date = new Date(seconds * 1000);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}
