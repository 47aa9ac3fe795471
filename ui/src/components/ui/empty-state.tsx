import type { ReactNode } from "react";

export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div data-testid="empty-state" className="flex flex-col items-center gap-2 px-6 py-10 text-center">
      {icon ? <div className="text-4xl text-zinc-400 dark:text-zinc-500">{icon}</div> : null}
      <p className="font-medium text-zinc-800 dark:text-zinc-200">{title}</p>
      {children ? <div className="max-w-sm text-sm text-zinc-600 dark:text-zinc-400">{children}</div> : null}
    </div>
  );
}
