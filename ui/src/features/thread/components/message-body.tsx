import type { Message } from "../../../bindings";
import { BanIcon } from "../../../components/ui/icons";
import { asArray, asObject, stringField } from "../../../lib/json";
import { isMediaKind } from "../../../lib/message-kinds";
import { LinkifiedText } from "./linkified-text";
import { MediaBubble } from "./media-bubble";
import { ContactsCard, LocationCard, OrderCard, ReplyChoice } from "./structured-cards";

/** Kinds shown as a centered notice in the thread instead of a bubble. */
export function isNoticeKind(kind: string): boolean {
  return kind === "system" || kind === "request_welcome";
}

export function noticeText(message: Message): string {
  if (message.kind === "request_welcome") return "The customer opened a chat with your business for the first time.";
  return message.body ?? stringField(message.details, "body") ?? "The conversation details changed.";
}

/** A template as sent: its header (text, or which media), body, footer and buttons. */
function TemplateMessage({ details, body }: { details: Message["details"]; body: string | null }) {
  const header = asObject(asObject(details)?.["header"]);
  const headerText = stringField(header, "text");
  const headerMedia = stringField(header, "media");
  const footer = stringField(details, "footer");
  const buttons = asArray(asObject(details)?.["buttons"]).filter((button): button is string => typeof button === "string");
  return (
    <div data-testid="template-message">
      {headerMedia ? <p className="mb-1 text-xs italic opacity-75">[{headerMedia.toLowerCase()}]</p> : null}
      {headerText ? <p className="font-semibold">{headerText}</p> : null}
      <LinkifiedText text={body ?? ""} />
      {footer ? <p className="mt-1 text-xs opacity-70">{footer}</p> : null}
      {buttons.length > 0 ? (
        <p className="mt-1 flex flex-wrap gap-1 text-xs text-emerald-800 dark:text-emerald-200">
          {buttons.map((text) => (
            <span key={text} className="rounded border border-current px-1">
              {text}
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}

/** The content of a bubble, rendered by WhatsApp message type. */
export function MessageBody({ message }: { message: Message }) {
  const { kind } = message;
  const text = message.body ?? message.caption;
  if (kind === "text") return <LinkifiedText text={message.body ?? ""} />;
  if (isMediaKind(kind)) {
    return (
      <>
        <MediaBubble kind={kind} message={message} />
        {message.caption ? <LinkifiedText text={message.caption} /> : null}
      </>
    );
  }
  switch (kind) {
    case "location":
      return <LocationCard details={message.details} />;
    case "contacts":
      return <ContactsCard details={message.details} />;
    case "interactive":
    case "button":
      return <ReplyChoice kind={kind} details={message.details} body={message.body} />;
    case "template":
      return <TemplateMessage details={message.details} body={message.body} />;
    case "revoked":
      return (
        <p data-testid="deleted-message" className="flex items-center gap-2 text-sm italic text-zinc-600 dark:text-zinc-400">
          <BanIcon className="size-4 shrink-0" />
          This message was deleted
        </p>
      );
    case "order":
      return (
        <>
          <OrderCard details={message.details} />
          {text ? <LinkifiedText text={text} /> : null}
        </>
      );
    default: {
      const type = stringField(message.details, "type") ?? kind;
      return (
        <p data-testid="unsupported-message" className="flex items-center gap-2 text-sm italic text-zinc-600 dark:text-zinc-400">
          <BanIcon className="size-4 shrink-0" />
          Unsupported message: {type}
        </p>
      );
    }
  }
}
