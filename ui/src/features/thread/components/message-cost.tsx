import type { Pricing } from "../../../bindings";

const CATEGORY_NAMES: Record<string, string> = {
  marketing: "Marketing",
  marketing_lite: "Marketing lite",
  utility: "Utility",
  authentication: "Authentication",
  authentication_international: "Authentication (international)",
  service: "Service",
  referral_conversion: "Free entry point",
};

/** "Marketing", "Service", … from Meta's pricing category. */
export function categoryName(category: string): string {
  const known = CATEGORY_NAMES[category.toLowerCase()];
  if (known) return known;
  const words = category.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What Meta charges for an outgoing message, as it reported in a status. */
export function costLabel(pricing: Pricing): string {
  const billing = pricing.billable === null ? null : pricing.billable ? "billable" : "free";
  return billing ? `${categoryName(pricing.category)} · ${billing}` : categoryName(pricing.category);
}

export function MessageCost({ pricing }: { pricing: Pricing }) {
  const label = costLabel(pricing);
  return (
    <span
      data-testid="message-cost"
      title={`Pricing category reported by WhatsApp: ${label}`}
      className="mr-auto rounded bg-black/5 px-1 text-[10.5px] text-zinc-600 dark:bg-white/10 dark:text-zinc-300"
    >
      {label}
    </span>
  );
}
