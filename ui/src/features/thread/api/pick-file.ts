import { open } from "@tauri-apps/plugin-dialog";

/** The extensions of the files WhatsApp can send, offered first in the file dialog. */
const SENDABLE_EXTENSIONS = [
  "jpg", "jpeg", "png", "webp", "mp4", "3gp", "aac", "amr", "mp3", "m4a", "ogg", "opus",
  "pdf", "txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx",
];

/** The dialog's title, by which the end-to-end tests find the native window. */
export const FILE_DIALOG_TITLE = "Choose files to send";

/** Asks the system's file dialog for files; their real paths, none when cancelled. */
export async function pickFilesToSend(): Promise<string[]> {
  const picked = await open({
    title: FILE_DIALOG_TITLE,
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
