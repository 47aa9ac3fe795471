import type { MessageStatus } from "../../bindings";
import { cx } from "../../lib/cx";
import { AlertIcon, CheckIcon, ClockIcon, DoubleCheckIcon } from "./icons";

const STATUS_LABELS: Record<MessageStatus, string> = {
  pending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  played: "Played",
  failed: "Failed to send",
};

/**
 * Delivery state of an outbound message the way WhatsApp draws it: clock while
 * pending, one grey tick sent, two grey delivered, two blue read/played, red failed.
 */
export function StatusTicks({ status, className }: { status: MessageStatus; className?: string }) {
  const label = STATUS_LABELS[status];
  const icon = (() => {
    switch (status) {
      case "pending":
        return <ClockIcon className="size-3.5" />;
      case "sent":
        return <CheckIcon className="size-4" />;
      case "delivered":
      case "read":
      case "played":
        return <DoubleCheckIcon className="h-4 w-5" />;
      case "failed":
        return <AlertIcon className="size-3.5" />;
    }
  })();
  const tone =
    status === "read" || status === "played"
      ? "text-sky-500 dark:text-sky-400"
      : status === "failed"
        ? "text-red-600 dark:text-red-400"
        : "text-zinc-500 dark:text-zinc-400";
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      data-testid="status-ticks"
      data-status={status}
      className={cx("inline-flex shrink-0 items-center", tone, className)}
    >
      {icon}
    </span>
  );
}
