import type { ServiceWindow } from "../../../bindings";

/** "23 h 5 min", "12 min", "less than a minute". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return "less than a minute";
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** The 24-hour customer-service window: how long free-form replies stay possible. */
export function WindowIndicator({ window }: { window: ServiceWindow }) {
  if (window.open) {
    return (
      <p data-testid="service-window" data-open="true" className="px-3 pt-1 text-xs text-zinc-500 dark:text-zinc-400">
        {formatTimeLeft(window.secondsLeft)} left to reply freely
      </p>
    );
  }
  return (
    <p
      data-testid="service-window"
      data-open="false"
      className="mx-3 mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-200"
    >
      {window.closesAt === null
        ? "This customer has not written to you yet, so WhatsApp only allows a template."
        : "More than 24 hours since the customer's last message — send a template instead."}
    </p>
  );
}
