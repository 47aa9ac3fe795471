import { useState } from "react";
import type { HeaderFormat, HeaderMedia } from "../../../bindings";
import { ErrorNote } from "../../../components/ui/error-note";
import { pickHeaderFile, useUploadTemplateHeader } from "../api/template-header-file";

export const MEDIA_NOUN: Partial<Record<HeaderFormat, string>> = { image: "Picture", video: "Video", document: "Document" };

type HeaderMediaFieldProps = {
  conversationId: number;
  format: HeaderFormat;
  onChange: (media: HeaderMedia | null) => void;
};

/**
 * The picture, video or document of a template header: a file from this computer
 * (checked and uploaded at once, then sent by its media id) or a public link.
 */
export function HeaderMediaField({ conversationId, format, onChange }: HeaderMediaFieldProps) {
  const noun = MEDIA_NOUN[format] ?? "File";
  const upload = useUploadTemplateHeader();
  const [fileName, setFileName] = useState<string | null>(null);
  const [link, setLink] = useState("");

  const chooseFile = async () => {
    const path = await pickHeaderFile(format);
    if (!path) return;
    setLink("");
    setFileName(null);
    onChange(null);
    upload.mutate(
      { conversationId, path, format },
      {
        onSuccess: (media) => {
          setFileName(path.split(/[\\/]/).pop() ?? path);
          onChange(media);
        },
      },
    );
  };

  const changeLink = (value: string) => {
    setLink(value);
    setFileName(null);
    upload.reset();
    const trimmed = value.trim();
    onChange(trimmed ? { mediaId: null, link: trimmed, filename: format === "document" ? (trimmed.split("/").pop() ?? null) : null } : null);
  };

  return (
    <fieldset className="flex flex-col gap-1 text-sm">
      <legend className="mb-0.5">{noun} for the header</legend>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          onClick={() => void chooseFile()}
          disabled={upload.isPending}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-600 dark:bg-zinc-800 dark:hover:bg-zinc-700"
        >
          {upload.isPending ? "Uploading…" : fileName ? "Choose another file…" : "Choose a file…"}
        </button>
        {fileName ? (
          <span data-testid="header-file" className="min-w-0 truncate text-emerald-700 dark:text-emerald-400">
            ✓ {fileName} uploaded
          </span>
        ) : null}
      </div>
      <label className="flex items-center gap-2">
        <span className="shrink-0 text-zinc-600 dark:text-zinc-300">or a link</span>
        <input
          type="url"
          aria-label={`${noun} link for the header`}
          value={link}
          onChange={(event) => changeLink(event.target.value)}
          placeholder="https://…"
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-600 dark:bg-zinc-800"
        />
      </label>
      <ErrorNote error={upload.error} />
    </fieldset>
  );
}
