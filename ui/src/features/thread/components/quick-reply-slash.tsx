import { useId, useState, type KeyboardEvent, type RefObject } from "react";
import type { QuickReply } from "../../../bindings";
import { cx } from "../../../lib/cx";
import { toIpcError } from "../../../lib/ipc-error";
import { unfilledVariables, useQuickReplies } from "../../../lib/quick-replies-query";
import { fillQuickReply } from "../api/fill-quick-reply";

/** `/` then a shortcut being typed, alone at the start of the composer. */
const SLASH_QUERY = /^\/(\S*)$/;

function matching(replies: readonly QuickReply[], query: string): QuickReply[] {
  const wanted = query.toLowerCase();
  const byShortcut = replies.filter((reply) => reply.shortcut.startsWith(wanted));
  const byText = replies.filter((reply) => !reply.shortcut.startsWith(wanted) && (reply.shortcut.includes(wanted) || reply.body.toLowerCase().includes(wanted)));
  return [...byShortcut, ...byText];
}

type SlashOptions = {
  conversationId: number;
  text: string;
  setText: (text: string) => void;
  textarea: RefObject<HTMLTextAreaElement | null>;
};

/**
 * Typing `/` at the start of the composer offers the quick replies whose shortcut (or
 * text) matches what follows; arrows move, Enter or Tab inserts, Escape closes.
 * The inserted text has the contact's details filled in; a variable that could not be
 * filled is listed and selected so the owner types over it.
 */
export function useQuickReplySlash({ conversationId, text, setText, textarea }: SlashOptions) {
  const replies = useQuickReplies();
  const listId = useId();
  const [active, setActive] = useState(0);
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = SLASH_QUERY.exec(text)?.[1];
  const open = query !== undefined && dismissedFor !== text && (replies.data?.length ?? 0) > 0;
  const options = open ? matching(replies.data ?? [], query) : [];
  const activeIndex = Math.min(active, Math.max(options.length - 1, 0));
  const unfilled = query === undefined ? unfilledVariables(text) : [];

  const choose = (reply: QuickReply) => {
    setError(null);
    fillQuickReply(reply.id, conversationId)
      .then((filled) => {
        setText(filled);
        setActive(0);
        const first = unfilledVariables(filled)[0];
        const box = textarea.current;
        if (!box) return;
        box.focus();
        // Selected, so typing replaces the variable the contact could not fill.
        const start = first ? filled.indexOf(first) : filled.length;
        requestAnimationFrame(() => box.setSelectionRange(start, first ? start + first.length : start));
      })
      .catch((failure: unknown) => setError(toIpcError(failure).message));
  };

  /** Handles the key if the picker is open; true when the composer must not. */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || options.length === 0) return false;
    const move = (by: number) => setActive((activeIndex + by + options.length) % options.length);
    switch (event.key) {
      case "ArrowDown":
        move(1);
        break;
      case "ArrowUp":
        move(-1);
        break;
      case "Enter":
      case "Tab": {
        const chosen = options[activeIndex];
        if (chosen) choose(chosen);
        break;
      }
      case "Escape":
        setDismissedFor(text);
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  };

  const optionId = (index: number) => `${listId}-option-${index}`;
  // The box stays a textbox (it is one); these tie it to the list while it shows.
  const textareaProps = {
    "aria-autocomplete": "list" as const,
    "aria-controls": open ? listId : undefined,
    "aria-activedescendant": open && options.length > 0 ? optionId(activeIndex) : undefined,
  };

  const picker = open ? (
    <div className="mx-3 mt-2 overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-lg dark:border-zinc-700 dark:bg-zinc-800">
      {options.length === 0 ? (
        <p className="px-3 py-2 text-sm text-zinc-500 dark:text-zinc-400">No quick reply matches /{query}</p>
      ) : (
        <ul id={listId} role="listbox" aria-label="Quick replies" className="max-h-52 overflow-y-auto py-1">
          {options.map((reply, index) => (
            <li
              key={reply.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === activeIndex}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(reply)}
              onMouseEnter={() => setActive(index)}
              className={cx("flex cursor-pointer gap-3 px-3 py-1.5 text-sm", index === activeIndex && "bg-emerald-50 dark:bg-emerald-900/40")}
            >
              <span className="shrink-0 font-mono font-semibold text-emerald-700 dark:text-emerald-400">/{reply.shortcut}</span>
              <span className="truncate text-zinc-600 dark:text-zinc-300">{reply.body}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  ) : null;

  const notice =
    unfilled.length > 0 || error ? (
      <div className="mx-3 mt-1 text-xs">
        {unfilled.length > 0 ? (
          <p data-testid="unfilled-variables" className="flex flex-wrap items-center gap-1 text-amber-800 dark:text-amber-300">
            Not filled in — replace before sending:
            {unfilled.map((variable) => (
              <mark key={variable} className="rounded bg-amber-200 px-1 font-mono text-amber-950 dark:bg-amber-700 dark:text-amber-50">
                {variable}
              </mark>
            ))}
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="text-red-700 dark:text-red-300">
            {error}
          </p>
        ) : null}
      </div>
    ) : null;

  return { picker, notice, onKeyDown, textareaProps };
}
