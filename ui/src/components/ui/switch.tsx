import { useId } from "react";
import { cx } from "../../lib/cx";

type SwitchProps = {
  label: string;
  description?: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
};

/** An on/off setting: the whole row is the control, Space or Enter flips it. */
export function Switch({ label, description, checked, disabled = false, onChange }: SwitchProps) {
  const labelId = useId();
  const descriptionId = useId();
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-labelledby={labelId}
      aria-describedby={description ? descriptionId : undefined}
      disabled={disabled}
      onClick={() => onChange(!checked)}
      className="flex w-full items-center gap-4 rounded-lg px-3 py-2.5 text-left hover:bg-zinc-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600 disabled:opacity-60 dark:hover:bg-zinc-800"
    >
      <span className="min-w-0 flex-1">
        <span id={labelId} className="block text-[15px]">
          {label}
        </span>
        {description ? (
          <span id={descriptionId} className="mt-0.5 block text-[13px] text-zinc-500 dark:text-zinc-400">
            {description}
          </span>
        ) : null}
      </span>
      <span
        aria-hidden="true"
        className={cx(
          "relative h-6 w-11 shrink-0 rounded-full transition-colors",
          checked ? "bg-emerald-600" : "bg-zinc-300 dark:bg-zinc-600",
        )}
      >
        <span
          className={cx(
            "absolute top-0.5 size-5 rounded-full bg-white shadow transition-transform",
            checked ? "translate-x-[22px]" : "translate-x-0.5",
          )}
        />
      </span>
    </button>
  );
}
