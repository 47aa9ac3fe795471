import { useMemo, useState } from "react";
import type { HeaderMedia, Template } from "../../../bindings";
import { ErrorNote } from "../../../components/ui/error-note";
import { newIdempotencyKey, useImportTemplates, useSendTemplate, useTemplates } from "../api/sending";
import { HeaderMediaField, MEDIA_NOUN } from "./header-media-field";
import { fieldLabel, previewTemplate } from "./template-preview";

/** Choose an approved template, fill its fields (a form built from its definition) and send it. */
export function TemplatePicker({ conversationId, onSent }: { conversationId: number; onSent?: () => void }) {
  const templates = useTemplates(true);
  const importTemplates = useImportTemplates();
  const sendable = useMemo(() => (templates.data ?? []).filter((template) => template.unsendableReason === null), [templates.data]);
  const [chosenId, setChosenId] = useState<number | null>(null);
  const chosen = sendable.find((template) => template.id === chosenId) ?? null;

  return (
    <div data-testid="template-picker" className="mx-3 my-2 flex flex-col gap-2">
      <div className="flex items-center gap-2">
        <label className="flex flex-1 items-center gap-2 text-sm">
          <span className="shrink-0 text-zinc-600 dark:text-zinc-300">Template</span>
          <select
            aria-label="Template"
            value={chosenId ?? ""}
            onChange={(event) => setChosenId(event.target.value ? Number(event.target.value) : null)}
            className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-600 dark:bg-zinc-800"
          >
            <option value="">{templates.isPending ? "Loading…" : sendable.length === 0 ? "No approved templates" : "Choose a template"}</option>
            {sendable.map((template) => (
              <option key={template.id} value={template.id}>
                {template.name} ({template.language})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => importTemplates.mutate()}
          disabled={importTemplates.isPending}
          className="rounded-md border border-zinc-300 px-2 py-1 text-sm hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-600 dark:hover:bg-zinc-800"
        >
          {importTemplates.isPending ? "Refreshing…" : "Refresh from WhatsApp"}
        </button>
      </div>
      <ErrorNote error={importTemplates.error} />
      <ErrorNote error={templates.error} />
      {chosen ? (
        <TemplateForm
          key={chosen.id}
          template={chosen}
          conversationId={conversationId}
          onSent={() => {
            setChosenId(null);
            onSent?.();
          }}
        />
      ) : null}
    </div>
  );
}

function TemplateForm({ template, conversationId, onSent }: { template: Template; conversationId: number; onSent: () => void }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [headerMedia, setHeaderMedia] = useState<HeaderMedia | null>(null);
  // One key per filled-in form: a repeated click is the same message.
  const [key, setKey] = useState(newIdempotencyKey);
  const send = useSendTemplate(conversationId);
  const preview = previewTemplate(template, values);
  const mediaFormat = template.header && MEDIA_NOUN[template.header.format] ? template.header.format : null;
  const mediaNoun = mediaFormat ? MEDIA_NOUN[mediaFormat] : null;

  const submit = () => {
    send.mutate(
      { conversationId, idempotencyKey: key, templateId: template.id, values: { values, headerMedia } },
      {
        onSuccess: () => {
          setKey(newIdempotencyKey());
          onSent();
        },
      },
    );
  };

  return (
    <form
      aria-label={`Fill in ${template.name}`}
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {mediaFormat ? <HeaderMediaField conversationId={conversationId} format={mediaFormat} onChange={setHeaderMedia} /> : null}
      {template.fields.map((field) => (
        <label key={field.key} className="flex flex-col gap-0.5 text-sm">
          <span>{fieldLabel(field)}</span>
          <input
            type="text"
            value={values[field.key] ?? ""}
            placeholder={field.example ?? ""}
            onChange={(event) => setValues((current) => ({ ...current, [field.key]: event.target.value }))}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-600 dark:bg-zinc-800"
          />
        </label>
      ))}
      <div data-testid="template-preview" className="rounded-lg bg-[#d9fdd3] px-3 py-2 text-sm text-zinc-900 shadow-sm dark:bg-[#005c4b] dark:text-zinc-100">
        {mediaNoun ? <p className="mb-1 text-xs italic opacity-75">[{mediaNoun}]</p> : null}
        {preview.header ? <p className="font-semibold">{preview.header}</p> : null}
        <p dir="auto" className="whitespace-pre-wrap">
          {preview.body}
        </p>
        {preview.footer ? <p className="mt-1 text-xs opacity-70">{preview.footer}</p> : null}
        {preview.buttons.length > 0 ? (
          <p className="mt-1 flex flex-wrap gap-1 text-xs text-emerald-800 dark:text-emerald-200">
            {preview.buttons.map((text) => (
              <span key={text} className="rounded border border-current px-1">
                {text}
              </span>
            ))}
          </p>
        ) : null}
      </div>
      <ErrorNote error={send.error} />
      <button
        type="submit"
        disabled={send.isPending}
        className="self-end rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
      >
        Send template
      </button>
    </form>
  );
}
