import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Message, ServiceWindow, Template, TemplateToSend, TextToSend } from "../../../bindings";
import { buildConversation, buildMessage, NOW_SECONDS } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW_SECONDS * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

const bookingTemplate: Template = {
  id: 7,
  name: "table_booking_confirmed",
  language: "en_US",
  category: "UTILITY",
  status: "APPROVED",
  namedParameters: true,
  header: { format: "image", text: null },
  body: "Hi {{guest_name}}, your table for {{party_size}} is confirmed.",
  footer: "Reply STOP to opt out",
  buttons: [{ kind: "quickReply", text: "Cancel booking", url: null }],
  fields: [
    { key: "body:guest_name", part: "body", label: "guest_name", example: "Maria" },
    { key: "body:party_size", part: "body", label: "party_size", example: "4" },
  ],
  unsendableReason: null,
};

async function openThread(messages: Message[], window?: ServiceWindow) {
  const backend = installFakeBackend({
    conversations: [buildConversation({ id: 1, contactName: "Dana" })],
    messages: { 1: messages.map((message) => ({ ...message, conversationId: 1 })) },
  });
  if (window) backend.windows.set(1, window);
  backend.templates = [bookingTemplate, { ...bookingTemplate, id: 8, name: "summer_sale", status: "PENDING", unsendableReason: "pending" }];
  const view = renderApp();
  await view.user.click(await screen.findByRole("option", { name: "Dana" }));
  await screen.findByRole("log", { name: "Messages" });
  await screen.findByTestId("service-window");
  return { ...view, backend };
}

const sentTexts = (backend: ReturnType<typeof installFakeBackend>) =>
  backend.callsTo("send_text").map((call) => call.args["text"] as TextToSend);

describe("composer", () => {
  it("Enter sends the text once, Shift+Enter starts a new line", async () => {
    const { user, backend } = await openThread([buildMessage({ id: 1, body: "Hi!" })]);
    const box = screen.getByRole("textbox", { name: "Message" });
    await user.type(box, "First line{Shift>}{Enter}{/Shift}second line");
    expect(box).toHaveValue("First line\nsecond line");
    expect(backend.callsTo("send_text")).toHaveLength(0);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(sentTexts(backend)).toHaveLength(1));
    const sent = sentTexts(backend)[0];
    expect(sent).toMatchObject({ conversationId: 1, body: "First line\nsecond line", replyToWamid: null });
    expect(sent?.idempotencyKey).toMatch(/\S{8,}/);
    await waitFor(() => expect(box).toHaveValue(""));
    const bubbles = await screen.findAllByTestId("message");
    expect(bubbles.at(-1)).toHaveAttribute("data-status", "pending");
  });

  it("a link's preview can be turned off before sending", async () => {
    const { user, backend } = await openThread([buildMessage({ id: 1 })]);
    const box = screen.getByRole("textbox", { name: "Message" });
    await user.type(box, "Menu: ");
    expect(screen.queryByRole("checkbox", { name: "Show a preview of the link" })).not.toBeInTheDocument();
    await user.type(box, "https://bakery.example/menu");
    const preview = screen.getByRole("checkbox", { name: "Show a preview of the link" });
    expect(preview).toBeChecked();
    await user.click(preview);
    await user.type(box, "{Enter}");
    await waitFor(() => expect(sentTexts(backend)[0]?.previewUrl).toBe(false));
  });

  it("replies with a quoted preview that can be cancelled", async () => {
    const { user, backend } = await openThread([buildMessage({ id: 1, body: "Do you deliver?", wamid: "wamid.Q1" })]);
    const menu = within(screen.getAllByTestId("message")[0] as HTMLElement).getByTestId("message-menu");
    await user.click(within(menu).getByRole("button", { name: "Reply" }));
    const preview = screen.getByTestId("reply-preview");
    expect(preview).toHaveTextContent("Dana");
    expect(preview).toHaveTextContent("Do you deliver?");
    await user.click(within(preview).getByRole("button", { name: "Cancel reply" }));
    expect(screen.queryByTestId("reply-preview")).not.toBeInTheDocument();

    await user.click(within(menu).getByRole("button", { name: "Reply" }));
    await user.type(screen.getByRole("textbox", { name: "Message" }), "Yes, every day{Enter}");
    await waitFor(() => expect(sentTexts(backend)[0]?.replyToWamid).toBe("wamid.Q1"));
    await waitFor(() => expect(screen.queryByTestId("reply-preview")).not.toBeInTheDocument());
  });

  it("reacts from a message's menu and removes the same reaction", async () => {
    const { user, backend } = await openThread([buildMessage({ id: 1, body: "Thanks!" })]);
    const bubble = screen.getAllByTestId("message")[0] as HTMLElement;
    await user.click(within(bubble).getByRole("button", { name: "React" }));
    await user.click(within(bubble).getByRole("button", { name: "React 👍" }));
    await waitFor(() => expect(backend.callsTo("send_reaction")[0]?.args["reaction"]).toMatchObject({ messageId: 1, emoji: "👍" }));
    expect(await within(bubble).findByTestId("reactions")).toHaveTextContent("👍");

    await user.click(within(bubble).getByRole("button", { name: "React" }));
    await user.click(within(bubble).getByRole("button", { name: "Remove 👍" }));
    await waitFor(() => expect(backend.callsTo("send_reaction")[1]?.args["reaction"]).toMatchObject({ emoji: "" }));
  });

  it("shows the time left in the 24-hour window", async () => {
    await openThread([buildMessage({ id: 1 })], { open: true, closesAt: NOW_SECONDS + 5 * 3600 + 600, secondsLeft: 5 * 3600 + 600 });
    expect(screen.getByTestId("service-window")).toHaveTextContent("5 h 10 min left to reply freely");
  });

  it("outside the window offers only templates, with a form from the definition and a live preview", async () => {
    const { user, backend } = await openThread([buildMessage({ id: 1 })], { open: false, closesAt: NOW_SECONDS - 3600, secondsLeft: 0 });
    expect(screen.getByTestId("service-window")).toHaveTextContent("More than 24 hours since the customer's last message — send a template instead.");
    expect(screen.queryByRole("textbox", { name: "Message" })).not.toBeInTheDocument();

    const picker = screen.getByTestId("template-picker");
    const select = within(picker).getByRole("combobox", { name: "Template" });
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(2));
    expect(within(select).queryByRole("option", { name: /summer_sale/ })).not.toBeInTheDocument();
    await user.selectOptions(select, "7");

    const preview = within(picker).getByTestId("template-preview");
    expect(preview).toHaveTextContent("Hi [guest_name], your table for [party_size] is confirmed.");
    await user.type(within(picker).getByRole("textbox", { name: "Guest name" }), "Maria");
    await user.type(within(picker).getByRole("textbox", { name: "Party size" }), "4");
    fireEvent.change(within(picker).getByLabelText("Picture link for the header"), { target: { value: "https://shop.example/t.jpg" } });
    expect(preview).toHaveTextContent("Hi Maria, your table for 4 is confirmed.");
    expect(preview).toHaveTextContent("Cancel booking");

    await user.click(within(picker).getByRole("button", { name: "Send template" }));
    await waitFor(() => expect(backend.callsTo("send_template")).toHaveLength(1));
    const send = backend.callsTo("send_template")[0]?.args["send"] as TemplateToSend;
    expect(send).toMatchObject({
      conversationId: 1,
      templateId: 7,
      values: {
        values: { "body:guest_name": "Maria", "body:party_size": "4" },
        headerMedia: { mediaId: null, link: "https://shop.example/t.jpg", filename: null },
      },
    });
  });

  it("shows the backend's reason when a template is refused", async () => {
    const { user, backend } = await openThread([buildMessage({ id: 1 })], { open: false, closesAt: NOW_SECONDS - 3600, secondsLeft: 0 });
    backend.failures.send_template = { code: "invalidInput", message: "Fill in the body value “party_size”" };
    const picker = screen.getByTestId("template-picker");
    const select = within(picker).getByRole("combobox", { name: "Template" });
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(2));
    await user.selectOptions(select, "7");
    await user.click(within(picker).getByRole("button", { name: "Send template" }));
    expect(await within(picker).findByRole("alert")).toHaveTextContent("Fill in the body value “party_size”");
  });

  it("a failed message shows its reason and can be sent again; an undeliverable one cannot", async () => {
    const failed = buildMessage({
      id: 1,
      direction: "out",
      status: "failed",
      sendState: "failed",
      error: { code: 131000, title: "WhatsApp is having trouble.", details: "Something went wrong" },
    });
    const undeliverable = buildMessage({
      id: 2,
      direction: "out",
      status: "failed",
      sendState: "failed",
      error: { code: 131026, title: "WhatsApp could not deliver this message.", details: null },
    });
    const { user, backend } = await openThread([failed, undeliverable]);
    const [first, second] = screen.getAllByTestId("message") as HTMLElement[];
    expect(within(first as HTMLElement).getByTestId("message-error")).toHaveTextContent("WhatsApp is having trouble.");
    expect(within(second as HTMLElement).getByTestId("message-error")).toHaveTextContent("could not deliver");
    expect(within(second as HTMLElement).queryByRole("button", { name: "Send again" })).not.toBeInTheDocument();
    await user.click(within(first as HTMLElement).getByRole("button", { name: "Send again" }));
    await waitFor(() => expect(backend.callsTo("resend_message")[0]?.args).toMatchObject({ messageId: 1 }));
  });

  it("says why a text was refused when the window closed meanwhile", async () => {
    const { user, backend } = await openThread([buildMessage({ id: 1 })]);
    backend.failures.send_text = { code: "outsideServiceWindow", message: "More than 24 hours since the customer's last message" };
    await user.type(screen.getByRole("textbox", { name: "Message" }), "Hello?{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("More than 24 hours");
  });
});
