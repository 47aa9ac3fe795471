import { useMutation } from "@tanstack/react-query";
import { open } from "@tauri-apps/plugin-dialog";
import { commands, type HeaderFileToUpload, type HeaderFormat, type HeaderMedia } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";

/** What Meta accepts in each kind of template header. */
const HEADER_FILE_TYPES: Partial<Record<HeaderFormat, { name: string; extensions: string[] }>> = {
  image: { name: "JPEG or PNG pictures", extensions: ["jpg", "jpeg", "png"] },
  video: { name: "MP4 or 3GPP videos", extensions: ["mp4", "3gp"] },
  document: { name: "PDF, text and Office documents", extensions: ["pdf", "txt", "doc", "docx", "xls", "xlsx", "ppt", "pptx"] },
};

/** Asks the file dialog for a header file of the right kind; null when cancelled. */
export async function pickHeaderFile(format: HeaderFormat): Promise<string | null> {
  const types = HEADER_FILE_TYPES[format];
  const picked = await open({
    multiple: false,
    directory: false,
    filters: types ? [types, { name: "All files", extensions: ["*"] }] : [],
  });
  return typeof picked === "string" ? picked : null;
}

/** Checks and uploads the file now; the template is then sent with its media id. */
export function useUploadTemplateHeader() {
  return useMutation({
    mutationFn: (upload: HeaderFileToUpload): Promise<HeaderMedia> => callBackend(() => commands.uploadTemplateHeader(upload)),
  });
}
