import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Template, TemplateToSend } from "../../../bindings";
import { buildConversation, buildMessage, NOW_SECONDS } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

const invoiceTemplate: Template = {
  id: 21,
  name: "invoice_available",
  language: "pt_BR",
  category: "UTILITY",
  status: "APPROVED",
  namedParameters: false,
  header: { format: "document", text: null },
  body: "Olá {{1}}, sua fatura de {{2}} está disponível.",
  footer: null,
  buttons: [],
  fields: [
    { key: "body:1", part: "body", label: "1", example: "João" },
    { key: "body:2", part: "body", label: "2", example: "R$ 120,00" },
  ],
  unsendableReason: null,
};

async function openInvoiceForm() {
  const backend = installFakeBackend({
    conversations: [buildConversation({ id: 1, contactName: "Dana" })],
    messages: { 1: [buildMessage({ id: 1, conversationId: 1 })] },
  });
  backend.windows.set(1, { open: false, closesAt: NOW_SECONDS - 3600, secondsLeft: 0 });
  backend.templates = [invoiceTemplate];
  const view = renderApp();
  await view.user.click(await screen.findByRole("option", { name: "Dana" }));
  const picker = await screen.findByTestId("template-picker");
  const select = within(picker).getByRole("combobox", { name: "Template" });
  await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(2));
  await view.user.selectOptions(select, "21");
  const form = within(picker).getByRole("form", { name: "Fill in invoice_available" });
  await view.user.type(within(form).getAllByRole("textbox")[1] as HTMLElement, "Ana");
  await view.user.type(within(form).getAllByRole("textbox")[2] as HTMLElement, "R$ 80,00");
  return { ...view, backend, form };
}

const sentTemplate = (backend: ReturnType<typeof installFakeBackend>) => backend.callsTo("send_template")[0]?.args["send"] as TemplateToSend;

describe("template header chosen as a file", () => {
  it("uploads the chosen file and sends the template by its media id", async () => {
    const { user, backend, form } = await openInvoiceForm();
    backend.pickedFile = "/home/owner/Invoices/fatura-0425.pdf";
    await user.click(within(form).getByRole("button", { name: "Choose a file…" }));
    expect(await within(form).findByTestId("header-file")).toHaveTextContent("fatura-0425.pdf uploaded");
    expect(backend.callsTo("pick_files")[0]?.args["purpose"], "the dialog offers documents").toBe("headerDocument");
    expect(backend.callsTo("upload_template_header")[0]?.args["upload"]).toEqual({
      conversationId: 1,
      path: "/home/owner/Invoices/fatura-0425.pdf",
      format: "document",
    });
    await user.click(within(form).getByRole("button", { name: "Send template" }));
    await waitFor(() => expect(backend.callsTo("send_template")).toHaveLength(1));
    expect(sentTemplate(backend).values.headerMedia).toEqual({ mediaId: "media-fatura-0425.pdf", link: null, filename: "fatura-0425.pdf" });
  });

  it("a link can be given instead, and replaces a chosen file", async () => {
    const { user, backend, form } = await openInvoiceForm();
    backend.pickedFile = "/tmp/a.pdf";
    await user.click(within(form).getByRole("button", { name: "Choose a file…" }));
    await within(form).findByTestId("header-file");
    await user.type(within(form).getByRole("textbox", { name: "Document link for the header" }), "https://shop.example/f/0425.pdf");
    expect(within(form).queryByTestId("header-file")).not.toBeInTheDocument();
    await user.click(within(form).getByRole("button", { name: "Send template" }));
    await waitFor(() => expect(backend.callsTo("send_template")).toHaveLength(1));
    expect(sentTemplate(backend).values.headerMedia).toEqual({ mediaId: null, link: "https://shop.example/f/0425.pdf", filename: "0425.pdf" });
  });

  it("shows why a file was refused and sends nothing", async () => {
    const { user, backend, form } = await openInvoiceForm();
    backend.pickedFile = "/tmp/huge.pdf";
    backend.failures.upload_template_header = { code: "invalidInput", message: "the file is 120.0 MB, more than the 100.0 MB WhatsApp allows for it" };
    await user.click(within(form).getByRole("button", { name: "Choose a file…" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("more than the 100.0 MB");
    expect(within(form).queryByTestId("header-file")).not.toBeInTheDocument();
  });

  it("cancelling the file dialog uploads nothing", async () => {
    const { user, backend, form } = await openInvoiceForm();
    backend.pickedFile = null;
    await user.click(within(form).getByRole("button", { name: "Choose a file…" }));
    await waitFor(() => expect(backend.callsTo("pick_files")).toHaveLength(1));
    expect(backend.callsTo("upload_template_header")).toHaveLength(0);
  });
});
