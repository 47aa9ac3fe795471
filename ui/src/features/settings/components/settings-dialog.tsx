import { useState, type ReactNode } from "react";
import type { Settings } from "../../../bindings";
import { ErrorState } from "../../../components/ui/error-state";
import { Modal } from "../../../components/ui/modal";
import { Skeleton } from "../../../components/ui/skeleton";
import { Switch } from "../../../components/ui/switch";
import { ErrorNote } from "../../../components/ui/error-note";
import { toIpcError } from "../../../lib/ipc-error";
import { useSettings } from "../../../lib/settings-query";
import { useUpdateSettings } from "../api/update-settings";
import { MediaLimitsForm } from "./media-limits-section";

const GRAPH_VERSION = /^v\d+\.\d+$/;

type SendingSwitch = { key: keyof Settings["sending"]; label: string; description: string };

const SWITCH_SECTIONS: Array<{ title: string; switches: SendingSwitch[] }> = [
  {
    title: "Conversations",
    switches: [
      {
        key: "markReadOnOpen",
        label: "Mark conversations as read when I open them",
        description: "The customer sees blue ticks once you open their chat.",
      },
      { key: "typingIndicator", label: "Show “typing…” while I type", description: "The customer sees that you are answering." },
    ],
  },
  {
    title: "Messages",
    switches: [
      {
        key: "linkPreviews",
        label: "Show link previews by default",
        description: "A message with a link shows a preview of the page. You can still turn it off per message.",
      },
    ],
  },
];

/** The settings screen: each switch is saved and applied as soon as it flips. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const settings = useSettings();
  return (
    <Modal title="Settings" description="Saved on this computer and applied at once." onClose={onClose}>
      {settings.isPending ? (
        <div className="flex flex-col gap-3 p-5">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-2/3" />
        </div>
      ) : settings.isError ? (
        <ErrorState title="The settings could not be read" error={toIpcError(settings.error)} onRetry={() => void settings.refetch()} />
      ) : (
        <SettingsForm settings={settings.data} />
      )}
    </Modal>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const update = useUpdateSettings();
  const save = (next: Settings) => update.mutate(next);
  const setSending = (change: Partial<Settings["sending"]>) => save({ ...settings, sending: { ...settings.sending, ...change } });
  const { sending } = settings;

  return (
    <div className="flex flex-col gap-1 px-3 pb-4 pt-2">
      {SWITCH_SECTIONS.map((section) => (
        <Section key={section.title} title={section.title}>
          {section.switches.map(({ key, label, description }) => (
            <Switch
              key={key}
              label={label}
              description={description}
              checked={sending[key]}
              disabled={update.isPending}
              onChange={(checked) => setSending({ [key]: checked })}
            />
          ))}
        </Section>
      ))}
      <Section title="WhatsApp connection">
        <GraphVersionField
          key={settings.graph.version}
          version={settings.graph.version}
          saving={update.isPending}
          onSave={(version) => save({ ...settings, graph: { ...settings.graph, version } })}
        />
      </Section>
      <Section title="Media">
        <MediaLimitsForm
          limits={settings.media}
          saving={update.isPending}
          onSave={(media) => save({ ...settings, media })}
        />
      </Section>
      <p role="status" className="min-h-5 px-3 text-sm text-zinc-500 dark:text-zinc-400">
        {update.isPending ? "Saving…" : update.isSuccess ? "Saved" : ""}
      </p>
      <ErrorNote error={update.error} className="px-3" />
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="py-2">
      <h3 className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-emerald-700 dark:text-emerald-400">{title}</h3>
      {children}
    </section>
  );
}

function GraphVersionField({ version, saving, onSave }: { version: string; saving: boolean; onSave: (version: string) => void }) {
  const [draft, setDraft] = useState(version);
  const trimmed = draft.trim();
  const valid = GRAPH_VERSION.test(trimmed);
  const changed = trimmed !== version;
  return (
    <form
      className="flex flex-col gap-1 px-3 py-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid && changed) onSave(trimmed);
      }}
    >
      <label htmlFor="graph-version" className="text-[15px]">
        Graph API version
      </label>
      <span id="graph-version-help" className="text-[13px] text-zinc-500 dark:text-zinc-400">
        The version of Meta’s API the app speaks, such as v26.0. Change it only when Meta retires this one.
      </span>
      <div className="mt-1 flex items-center gap-2">
        <input
          id="graph-version"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          aria-invalid={!valid}
          aria-describedby={valid ? "graph-version-help" : "graph-version-help graph-version-error"}
          spellCheck={false}
          className="w-32 rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-sm aria-[invalid=true]:border-red-500 dark:border-zinc-600 dark:bg-zinc-800"
        />
        <button
          type="submit"
          disabled={!valid || !changed || saving}
          className="rounded-md bg-emerald-600 px-3 py-1 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
        >
          Save
        </button>
      </div>
      {!valid ? (
        <span id="graph-version-error" className="text-[13px] text-red-700 dark:text-red-300">
          Write it as v followed by two numbers, such as v26.0.
        </span>
      ) : null}
    </form>
  );
}
