import { open } from "@tauri-apps/plugin-dialog";

/** The extensions of the files WhatsApp can send, offered first in the file dialog. */
const SENDABLE_EXTENSIONS = [
  "jpg", "jpeg", "png", "webp", "mp4", "3gp", "aac", "amr", "mp3", "m4a", "ogg", "opus",
  "pdf", "txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
];

/** Asks the system's file dialog for files; their real paths, none when cancelled. */
export async function pickFilesToSend(): Promise<string[]> {
  const picked = await open({
    multiple: true,
    directory: false,
    filters: [
      { name: "Files WhatsApp can send", extensions: SENDABLE_EXTENSIONS },
      { name: "All files", extensions: ["*"] },
    ],
  });
  if (picked === null) return [];
  return Array.isArray(picked) ? picked : [picked];
}
