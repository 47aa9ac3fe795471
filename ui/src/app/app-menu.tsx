import { useState, type ReactNode } from "react";
import { BoltIcon, GearIcon } from "../components/ui/icons";
import { QuickRepliesManager } from "../features/quick-replies/components/quick-replies-manager";
import { SettingsDialog } from "../features/settings/components/settings-dialog";

type Screen = "settings" | "quick-replies" | null;

/** The header buttons that open the app-wide screens. */
export function AppMenu() {
  const [screen, setScreen] = useState<Screen>(null);
  const close = () => setScreen(null);
  return (
    <div className="flex items-center gap-1">
      <HeaderButton label="Quick replies" onClick={() => setScreen("quick-replies")}>
        <BoltIcon />
      </HeaderButton>
      <HeaderButton label="Settings" onClick={() => setScreen("settings")}>
        <GearIcon />
      </HeaderButton>
      {screen === "settings" ? <SettingsDialog onClose={close} /> : null}
      {screen === "quick-replies" ? <QuickRepliesManager onClose={close} /> : null}
    </div>
  );
}

function HeaderButton({ label, onClick, children }: { label: string; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="rounded-full p-2 text-xl text-zinc-600 hover:bg-zinc-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      {children}
    </button>
  );
}
