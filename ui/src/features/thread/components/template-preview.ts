import type { Template, TemplateField } from "../../../bindings";

/** Replaces `{{name}}` in `text` with the value of `part:name`, or a visible blank. */
export function fillTemplateText(text: string, part: "header" | "body", values: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_placeholder, name: string) => {
    const value = values[`${part}:${name}`]?.trim();
    return value ? value : `[${name}]`;
  });
}

export type TemplatePreview = { header: string | null; body: string; footer: string | null; buttons: string[] };

export function previewTemplate(template: Template, values: Record<string, string>): TemplatePreview {
  const header = template.header?.format === "text" && template.header.text ? fillTemplateText(template.header.text, "header", values) : null;
  return {
    header,
    body: fillTemplateText(template.body, "body", values),
    footer: template.footer,
    buttons: template.buttons.map((button) => button.text),
  };
}

/** What the owner sees as a field's name: "Body 1", "Guest name", "Link for Track order". */
export function fieldLabel(field: TemplateField): string {
  if (field.part === "button") return `Link for “${field.label}”`;
  const spaced = field.label.replace(/_/g, " ");
  const named = /^\d+$/.test(field.label) ? `${field.part === "header" ? "Header" : "Body"} value ${field.label}` : spaced;
  return named.charAt(0).toUpperCase() + named.slice(1);
}
