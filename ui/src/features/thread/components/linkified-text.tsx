import type { ReactNode } from "react";

// http(s) URLs and bare www. hosts; trailing punctuation is left out of the link.
const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

function toHref(raw: string): string | null {
  const candidate = raw.toLowerCase().startsWith("www.") ? `https://${raw}` : raw;
  try {
    const url = new URL(candidate);
    // Only web links become clickable; anything else stays plain text.
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** Splits text into plain strings and links. Never builds HTML from message text. */
export function linkify(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  let cursor = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const trailing = TRAILING_PUNCTUATION.exec(match[0])?.[0] ?? "";
    const raw = match[0].slice(0, match[0].length - trailing.length);
    const href = toHref(raw);
    if (!href || raw.length === 0) continue;
    if (start > cursor) parts.push(text.slice(cursor, start));
    parts.push(
      <a
        key={`${start}-${raw}`}
        href={href}
        target="_blank"
        rel="noopener noreferrer"
        className="break-all text-sky-700 underline hover:text-sky-800 dark:text-sky-400 dark:hover:text-sky-300"
      >
        {raw}
      </a>,
    );
    cursor = start + raw.length;
  }
  if (cursor < text.length) parts.push(text.slice(cursor));
  return parts;
}

/** Message text: newlines kept, links clickable, direction detected per paragraph. */
export function LinkifiedText({ text, className }: { text: string; className?: string }) {
  return (
    <p dir="auto" data-testid="message-text" className={`whitespace-pre-wrap break-words ${className ?? ""}`}>
      {linkify(text)}
    </p>
  );
}
