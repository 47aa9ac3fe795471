import { getCurrentWebview } from "@tauri-apps/api/webview";
import { useEffect, useRef, useState } from "react";

/**
 * Follows files dragged from the desktop onto the window. Tauri's native drag-and-drop
 * gives the files' real paths, which the backend reads; the browser's own drop does not.
 */
export function useFileDrop(onDrop: (paths: string[]) => void): { dragging: boolean } {
  const [dragging, setDragging] = useState(false);
  const latestOnDrop = useRef(onDrop);
  useEffect(() => {
    latestOnDrop.current = onDrop;
  }, [onDrop]);

  useEffect(() => {
    let stopped = false;
    let unlisten: (() => void) | null = null;
    void getCurrentWebview()
      .onDragDropEvent((event) => {
        const payload = event.payload;
        if (payload.type === "enter" || payload.type === "over") {
          setDragging(true);
        } else if (payload.type === "leave") {
          setDragging(false);
        } else {
          setDragging(false);
          if (payload.paths.length > 0) latestOnDrop.current(payload.paths);
        }
      })
      .then((stop) => {
        if (stopped) stop();
        else unlisten = stop;
      });
    return () => {
      stopped = true;
      unlisten?.();
    };
  }, []);
  return { dragging };
}
