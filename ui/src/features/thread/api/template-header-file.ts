import { useMutation } from "@tanstack/react-query";
import { commands, type FilePurpose, type HeaderFileToUpload, type HeaderFormat, type HeaderMedia } from "../../../bindings";
import { callBackend } from "../../../lib/ipc-error";

/** The file dialog of each kind of template header, which offers what Meta accepts in it. */
const HEADER_FILE_PURPOSES: Partial<Record<HeaderFormat, FilePurpose>> = {
  image: "headerImage",
  video: "headerVideo",
  document: "headerDocument",
};

/** Asks the file dialog for a header file of the right kind; null when cancelled. */
export async function pickHeaderFile(format: HeaderFormat): Promise<string | null> {
  const purpose = HEADER_FILE_PURPOSES[format];
  if (!purpose) return null;
  const picked = await callBackend(() => commands.pickFiles(purpose));
  return picked[0] ?? null;
}

/** Checks and uploads the file now; the template is then sent with its media id. */
export function useUploadTemplateHeader() {
  return useMutation({
    mutationFn: (upload: HeaderFileToUpload): Promise<HeaderMedia> => callBackend(() => commands.uploadTemplateHeader(upload)),
  });
}
