import { useId, useState } from "react";
import type { QuickReply } from "../../../bindings";
import { EmptyState } from "../../../components/ui/empty-state";
import { ErrorState } from "../../../components/ui/error-state";
import { BoltIcon } from "../../../components/ui/icons";
import { Modal } from "../../../components/ui/modal";
import { Skeleton } from "../../../components/ui/skeleton";
import { ErrorNote } from "../../../components/ui/error-note";
import { toIpcError } from "../../../lib/ipc-error";
import { useQuickReplies } from "../../../lib/quick-replies-query";
import { useDeleteQuickReply, useSaveQuickReply } from "../api/manage-quick-replies";

/** What the form edits: a new quick reply, or an existing one. */
type Editing = { id: number | null; shortcut: string; body: string };

const BUTTON = "rounded-md px-2.5 py-1 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-emerald-600";

/** Lists, creates, edits and deletes the owner's quick replies. */
export function QuickRepliesManager({ onClose }: { onClose: () => void }) {
  const replies = useQuickReplies();
  const [editing, setEditing] = useState<Editing | null>(null);

  return (
    <Modal
      title="Quick replies"
      description="Type / at the start of a message to insert one."
      onClose={onClose}
      className="max-w-xl"
    >
      <div className="flex flex-col gap-3 p-5">
        {editing ? (
          <QuickReplyForm editing={editing} onDone={() => setEditing(null)} />
        ) : (
          <button
            type="button"
            onClick={() => setEditing({ id: null, shortcut: "", body: "" })}
            className={`${BUTTON} self-start bg-emerald-600 text-white hover:bg-emerald-700`}
          >
            New quick reply
          </button>
        )}
        {replies.isPending ? (
          <div className="flex flex-col gap-2">
            <Skeleton className="h-12 w-full" />
            <Skeleton className="h-12 w-full" />
          </div>
        ) : replies.isError ? (
          <ErrorState title="Quick replies could not be read" error={toIpcError(replies.error)} onRetry={() => void replies.refetch()} />
        ) : replies.data.length === 0 ? (
          <EmptyState icon={<BoltIcon />} title="No quick replies yet">
            Save answers you send often, like your opening hours, and insert them with a shortcut.
          </EmptyState>
        ) : (
          <ul aria-label="Saved quick replies" className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-700 dark:border-zinc-700">
            {replies.data.map((reply) => (
              <QuickReplyRow key={reply.id} reply={reply} onEdit={() => setEditing({ ...reply })} />
            ))}
          </ul>
        )}
      </div>
    </Modal>
  );
}

function QuickReplyRow({ reply, onEdit }: { reply: QuickReply; onEdit: () => void }) {
  const remove = useDeleteQuickReply();
  const [confirming, setConfirming] = useState(false);
  return (
    <li data-testid="quick-reply" className="flex items-start gap-3 px-3 py-2.5">
      <div className="min-w-0 flex-1">
        <p className="font-mono text-sm font-semibold text-emerald-700 dark:text-emerald-400">/{reply.shortcut}</p>
        <p className="line-clamp-2 whitespace-pre-wrap text-sm text-zinc-700 dark:text-zinc-300">{reply.body}</p>
        <ErrorNote error={remove.error} />
      </div>
      {confirming ? (
        <div role="group" aria-label={`Delete /${reply.shortcut}?`} className="flex shrink-0 items-center gap-1">
          <span className="text-sm text-zinc-600 dark:text-zinc-300">Delete?</span>
          <button
            type="button"
            onClick={() => remove.mutate(reply.id)}
            disabled={remove.isPending}
            className={`${BUTTON} bg-red-600 text-white hover:bg-red-700 disabled:opacity-50`}
          >
            Delete
          </button>
          <button type="button" onClick={() => setConfirming(false)} className={`${BUTTON} hover:bg-zinc-100 dark:hover:bg-zinc-800`}>
            Keep
          </button>
        </div>
      ) : (
        <div className="flex shrink-0 gap-1">
          <button type="button" aria-label={`Edit /${reply.shortcut}`} onClick={onEdit} className={`${BUTTON} text-emerald-700 hover:bg-zinc-100 dark:text-emerald-400 dark:hover:bg-zinc-800`}>
            Edit
          </button>
          <button
            type="button"
            aria-label={`Delete /${reply.shortcut}`}
            onClick={() => setConfirming(true)}
            className={`${BUTTON} text-red-700 hover:bg-zinc-100 dark:text-red-300 dark:hover:bg-zinc-800`}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

function QuickReplyForm({ editing, onDone }: { editing: Editing; onDone: () => void }) {
  const save = useSaveQuickReply();
  const [shortcut, setShortcut] = useState(editing.shortcut);
  const [body, setBody] = useState(editing.body);
  const hintId = useId();
  const ready = shortcut.replace(/^\//, "").trim() !== "" && body.trim() !== "";
  return (
    <form
      aria-label={editing.id === null ? "New quick reply" : `Edit /${editing.shortcut}`}
      className="flex flex-col gap-2 rounded-lg border border-zinc-200 bg-zinc-50 p-3 dark:border-zinc-700 dark:bg-zinc-800/50"
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) save.mutate({ id: editing.id, input: { shortcut, body } }, { onSuccess: onDone });
      }}
    >
      <label className="flex flex-col gap-0.5 text-sm">
        <span>Shortcut</span>
        <span className="flex items-center rounded-md border border-zinc-300 bg-white focus-within:ring-2 focus-within:ring-emerald-600 dark:border-zinc-600 dark:bg-zinc-800">
          <span aria-hidden="true" className="pl-2 font-mono text-zinc-500">
            /
          </span>
          <input
            value={shortcut}
            onChange={(event) => setShortcut(event.target.value.replace(/\s/g, ""))}
            maxLength={33}
            placeholder="hours"
            spellCheck={false}
            className="min-w-0 flex-1 bg-transparent px-1 py-1 font-mono outline-none"
          />
        </span>
      </label>
      <label className="flex flex-col gap-0.5 text-sm">
        <span>Text</span>
        <textarea
          aria-describedby={hintId}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          rows={4}
          placeholder="Hi {{first_name}}, we are open 9 am to 6 pm, Monday to Saturday."
          className="resize-y rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-600 dark:bg-zinc-800"
        />
      </label>
      <p id={hintId} className="-mt-1 text-xs text-zinc-500 dark:text-zinc-400">
        Filled in from the contact: <code>{"{{name}}"}</code>, <code>{"{{first_name}}"}</code>, <code>{"{{phone}}"}</code>
      </p>
      <ErrorNote error={save.error} />
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onDone} className={`${BUTTON} hover:bg-zinc-200 dark:hover:bg-zinc-700`}>
          Cancel
        </button>
        <button type="submit" disabled={!ready || save.isPending} className={`${BUTTON} bg-emerald-600 text-white hover:bg-emerald-700 disabled:opacity-50`}>
          Save
        </button>
      </div>
    </form>
  );
}
