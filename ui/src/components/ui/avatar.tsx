import { initials } from "../../lib/contact-name";
import { cx } from "../../lib/cx";

const PALETTE = [
  "bg-emerald-600",
  "bg-sky-600",
  "bg-violet-600",
  "bg-rose-600",
  "bg-amber-600",
  "bg-teal-600",
  "bg-indigo-600",
  "bg-fuchsia-600",
  "bg-lime-700",
  "bg-orange-600",
] as const;

/** The same contact always gets the same colour, on every launch. */
export function avatarColor(seed: number): string {
  const index = Math.abs(Math.imul(seed, 2654435761) >>> 0) % PALETTE.length;
  return PALETTE[index] ?? "bg-emerald-600";
}

export function Avatar({ name, seed, size = "md" }: { name: string; seed: number; size?: "md" | "lg" }) {
  return (
    <span
      aria-hidden="true"
      data-testid="avatar"
      className={cx(
        "inline-flex shrink-0 select-none items-center justify-center rounded-full font-medium text-white",
        size === "lg" ? "size-10 text-sm" : "size-12 text-base",
        avatarColor(seed),
      )}
    >
      {initials(name)}
    </span>
  );
}
