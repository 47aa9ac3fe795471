import { useState } from "react";
import { META_MEDIA_LIMITS, type MediaLimits } from "../../../bindings";

const MB = 1024 * 1024;

type LimitKey = keyof MediaLimits;

const KINDS: Array<{ key: LimitKey; label: string; noun: string }> = [
  { key: "image", label: "Pictures", noun: "pictures" },
  { key: "video", label: "Videos", noun: "videos" },
  { key: "audio", label: "Audio and voice notes", noun: "audio" },
  { key: "document", label: "Documents", noun: "documents" },
  { key: "sticker", label: "Stickers", noun: "stickers" },
  { key: "animatedSticker", label: "Animated stickers", noun: "animated stickers" },
];

/** Bytes as MB with the fewest decimals that still stand for exactly these bytes. */
function toMb(bytes: number): string {
  for (let decimals = 0; decimals < 10; decimals++) {
    const text = String(Number((bytes / MB).toFixed(decimals)));
    if (Math.round(Number(text) * MB) === bytes) return text;
  }
  return String(bytes / MB);
}

/** A limit as people read it: 5 MB, 100 KB. */
function readable(bytes: number): string {
  return bytes >= MB ? `${bytes / MB} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The bytes a typed MB value stands for, or why it cannot be a limit. */
function parseLimit(text: string, key: LimitKey, noun: string): { bytes: number } | { problem: string } {
  const mb = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(mb)) return { problem: "Enter a size in MB." };
  const bytes = Math.round(mb * MB);
  if (bytes <= 0) return { problem: "The limit must be more than 0 MB." };
  const most = META_MEDIA_LIMITS[key];
  if (bytes > most) {
    const inMb = most >= MB ? "" : ` (${toMb(most)} MB)`;
    return { problem: `WhatsApp accepts at most ${readable(most)}${inMb} for ${noun}: a higher limit could never be sent.` };
  }
  return { bytes };
}

function sameLimits(a: MediaLimits, b: MediaLimits): boolean {
  return KINDS.every(({ key }) => a[key] === b[key]);
}

function draftsOf(limits: MediaLimits): Record<LimitKey, string> {
  const entries = KINDS.map(({ key }) => [key, toMb(limits[key])] as const);
  return Object.fromEntries(entries) as Record<LimitKey, string>;
}

type MediaLimitsFormProps = { limits: MediaLimits; saving: boolean; onSave: (limits: MediaLimits) => void };

/**
 * The largest file per kind, in MB, that is downloaded from customers or may be sent.
 * Each may be lowered, never raised above Meta's own limit.
 */
export function MediaLimitsForm({ limits, saving, onSave }: MediaLimitsFormProps) {
  const [drafts, setDrafts] = useState(() => draftsOf(limits));
  // Saved or restored limits replace the drafts in place: remounting would drop the focus.
  const [shown, setShown] = useState(limits);
  if (!sameLimits(shown, limits)) {
    setShown(limits);
    setDrafts(draftsOf(limits));
  }
  const parsed = KINDS.map(({ key, noun }) => ({ key, result: parseLimit(drafts[key], key, noun) }));
  const next = { ...limits };
  let valid = true;
  for (const { key, result } of parsed) {
    if ("bytes" in result) next[key] = result.bytes;
    else valid = false;
  }
  const changed = valid && !sameLimits(next, limits);
  const atMeta = sameLimits(limits, META_MEDIA_LIMITS);

  return (
    <form
      className="flex flex-col gap-2 px-3 py-2"
      aria-describedby="media-limits-help"
      onSubmit={(event) => {
        event.preventDefault();
        if (changed && !saving) onSave(next);
      }}
    >
      <p id="media-limits-help" className="text-[13px] text-zinc-500 dark:text-zinc-400">
        The largest file the app downloads from a customer or lets you send, per kind. Larger incoming files are not
        stored. You can lower a limit to save disk space, but not raise it above WhatsApp’s own: WhatsApp would refuse
        to send such a file anyway.
      </p>
      <div className="grid grid-cols-[1fr_auto] items-start gap-x-3 gap-y-2">
        {parsed.map(({ key, result }) => {
          const kind = KINDS.find((candidate) => candidate.key === key);
          const problem = "problem" in result ? result.problem : null;
          const id = `media-limit-${key}`;
          return (
            <div key={key} className="contents">
              <div className="flex flex-col">
                <label htmlFor={id} className="text-[15px]">
                  {kind?.label}
                </label>
                <span id={`${id}-meta`} className="text-[12px] text-zinc-500 dark:text-zinc-400">
                  WhatsApp’s limit: {readable(META_MEDIA_LIMITS[key])}
                </span>
                {problem ? (
                  <span id={`${id}-error`} className="text-[13px] text-red-700 dark:text-red-300">
                    {problem}
                  </span>
                ) : null}
              </div>
              <div className="flex items-center gap-1.5">
                <input
                  id={id}
                  type="number"
                  inputMode="decimal"
                  min={0}
                  step="any"
                  value={drafts[key]}
                  onChange={(event) => setDrafts((current) => ({ ...current, [key]: event.target.value }))}
                  aria-invalid={problem !== null}
                  aria-describedby={problem ? `${id}-meta ${id}-error` : `${id}-meta`}
                  className="w-28 rounded-md border border-zinc-300 bg-white px-2 py-1 text-right text-sm tabular-nums aria-[invalid=true]:border-red-500 dark:border-zinc-600 dark:bg-zinc-800"
                />
                <span className="text-sm text-zinc-500 dark:text-zinc-400">MB</span>
              </div>
            </div>
          );
        })}
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-2">
        {/* aria-disabled, not disabled: the button keeps the focus (and Escape) once clicked. */}
        <button
          type="submit"
          aria-disabled={!changed || saving}
          className="rounded-md bg-emerald-600 px-3 py-1 text-sm font-medium text-white hover:bg-emerald-700 aria-disabled:cursor-default aria-disabled:opacity-50 aria-disabled:hover:bg-emerald-600"
        >
          Save limits
        </button>
        <button
          type="button"
          aria-disabled={atMeta || saving}
          onClick={() => {
            if (!atMeta && !saving) onSave({ ...META_MEDIA_LIMITS });
          }}
          className="rounded-md border border-zinc-300 bg-white px-3 py-1 text-sm hover:bg-zinc-100 aria-disabled:cursor-default aria-disabled:opacity-50 aria-disabled:hover:bg-white dark:border-zinc-600 dark:bg-zinc-800 dark:hover:bg-zinc-700"
        >
          Restore Meta’s limits
        </button>
      </div>
    </form>
  );
}
