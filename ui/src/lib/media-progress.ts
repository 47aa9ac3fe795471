import { useSyncExternalStore } from "react";

/** How far a media download has come, as the backend last reported it. */
export type MediaProgress = { receivedBytes: number; totalBytes: number | null };

// Progress is transient and arrives often: it lives here, not in the query cache, and
// the finished download replaces it with the message's stored state.
const progressByMessage = new Map<number, MediaProgress>();
const listeners = new Set<() => void>();

export function recordMediaProgress(messageId: number, progress: MediaProgress): void {
  progressByMessage.set(messageId, progress);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useMediaProgress(messageId: number | undefined): MediaProgress | null {
  return useSyncExternalStore(subscribe, () => (messageId === undefined ? null : (progressByMessage.get(messageId) ?? null)));
}

/** The share downloaded, 0–100, when the size is known. */
export function percentOf(progress: MediaProgress | null): number | null {
  if (!progress?.totalBytes) return null;
  return Math.min(100, Math.round((progress.receivedBytes / progress.totalBytes) * 100));
}
