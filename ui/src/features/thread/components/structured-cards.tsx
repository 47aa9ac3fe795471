import type { Value as JsonValue } from "../../../bindings";
import { CartIcon, ContactIcon, MapPinIcon, ReplyIcon } from "../../../components/ui/icons";
import { asArray, asObject, numberField, stringField } from "../../../lib/json";

const cardClass = "mb-1 flex min-w-56 gap-3 rounded-md bg-black/5 p-2 dark:bg-white/10";
const iconClass =
  "flex size-10 shrink-0 items-center justify-center rounded-md bg-white/70 text-xl text-zinc-600 dark:bg-black/20 dark:text-zinc-300";

export function LocationCard({ details }: { details: JsonValue | null }) {
  const latitude = numberField(details, "latitude");
  const longitude = numberField(details, "longitude");
  const name = stringField(details, "name");
  const address = stringField(details, "address");
  const hasPoint = latitude !== null && longitude !== null;
  const mapUrl = hasPoint
    ? `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`
    : null;
  return (
    <div data-testid="location-card" className={cardClass}>
      <span className={iconClass}>
        <MapPinIcon />
      </span>
      <span className="min-w-0 flex-1 text-sm">
        <span className="block font-medium" dir="auto">
          {name ?? "Location"}
        </span>
        {address ? (
          <span className="block text-zinc-600 dark:text-zinc-400" dir="auto">
            {address}
          </span>
        ) : null}
        {hasPoint && mapUrl ? (
          <a
            href={mapUrl}
            target="_blank"
            rel="noopener noreferrer"
            className="block text-xs text-sky-700 underline dark:text-sky-400"
          >
            {latitude.toFixed(5)}, {longitude.toFixed(5)}
          </a>
        ) : (
          <span className="block text-xs text-zinc-500">No coordinates were shared</span>
        )}
      </span>
    </div>
  );
}

type SharedContact = { name: string; phones: string[]; emails: string[]; company: string | null };

function readContacts(details: JsonValue | null): SharedContact[] {
  return asArray(details).map((entry) => {
    const nameObject = asObject(entry)?.["name"];
    const formatted =
      stringField(nameObject, "formatted_name") ??
      [stringField(nameObject, "first_name"), stringField(nameObject, "last_name")].filter(Boolean).join(" ");
    return {
      name: formatted || "Unnamed contact",
      phones: asArray(asObject(entry)?.["phones"])
        .map((phone) => stringField(phone, "phone") ?? stringField(phone, "wa_id"))
        .filter((phone): phone is string => phone !== null),
      emails: asArray(asObject(entry)?.["emails"])
        .map((email) => stringField(email, "email"))
        .filter((email): email is string => email !== null),
      company: stringField(asObject(entry)?.["org"] ?? null, "company"),
    };
  });
}

export function ContactsCard({ details }: { details: JsonValue | null }) {
  const contacts = readContacts(details);
  return (
    <div data-testid="contacts-card" className="mb-1 space-y-1">
      {contacts.length === 0 ? (
        <div className={cardClass}>
          <span className={iconClass}>
            <ContactIcon />
          </span>
          <span className="self-center text-sm">Contact card</span>
        </div>
      ) : (
        contacts.map((contact, index) => (
          <div key={index} className={cardClass}>
            <span className={iconClass}>
              <ContactIcon />
            </span>
            <span className="min-w-0 flex-1 text-sm">
              <span className="block font-medium" dir="auto">
                {contact.name}
              </span>
              {contact.company ? <span className="block text-zinc-600 dark:text-zinc-400">{contact.company}</span> : null}
              {contact.phones.map((phone) => (
                <span key={phone} className="block text-zinc-600 dark:text-zinc-400">
                  {phone}
                </span>
              ))}
              {contact.emails.map((email) => (
                <span key={email} className="block text-zinc-600 dark:text-zinc-400">
                  {email}
                </span>
              ))}
            </span>
          </div>
        ))
      )}
    </div>
  );
}

/** What the customer picked from a button, list, or flow the business sent. */
export function ReplyChoice({ kind, details, body }: { kind: string; details: JsonValue | null; body: string | null }) {
  const type = stringField(details, "type");
  const reply = type ? asObject(details)?.[type] : null;
  const label =
    kind === "button"
      ? "Button reply"
      : type === "list_reply"
        ? "List selection"
        : type === "nfm_reply"
          ? "Form response"
          : "Button reply";
  const title =
    stringField(reply, "title") ??
    stringField(reply, "name") ??
    stringField(details, "text") ??
    body ??
    stringField(reply, "body");
  const description = stringField(reply, "description");
  return (
    <div data-testid="reply-choice" className="mb-1 flex items-start gap-2 rounded-md bg-black/5 p-2 dark:bg-white/10">
      <ReplyIcon className="mt-0.5 size-4 shrink-0 text-emerald-700 dark:text-emerald-400" />
      <span className="min-w-0 text-sm">
        <span className="block text-xs text-zinc-600 dark:text-zinc-400">{label}</span>
        <span className="block font-medium" dir="auto">
          {title ?? "No answer text"}
        </span>
        {description ? (
          <span className="block text-zinc-600 dark:text-zinc-400" dir="auto">
            {description}
          </span>
        ) : null}
      </span>
    </div>
  );
}

export function OrderCard({ details }: { details: JsonValue | null }) {
  const items = asArray(asObject(details)?.["product_items"]);
  const quantity = items.reduce<number>((sum, item) => sum + (numberField(item, "quantity") ?? 0), 0);
  const currencies = new Set(items.map((item) => stringField(item, "currency")).filter(Boolean));
  const total = items.reduce<number>(
    (sum, item) => sum + (numberField(item, "item_price") ?? 0) * (numberField(item, "quantity") ?? 0),
    0,
  );
  const currency = currencies.size === 1 ? ([...currencies][0] ?? null) : null;
  const note = stringField(details, "text");
  return (
    <div data-testid="order-card" className={cardClass}>
      <span className={iconClass}>
        <CartIcon />
      </span>
      <span className="min-w-0 flex-1 text-sm">
        <span className="block font-medium">
          Order · {quantity} {quantity === 1 ? "item" : "items"}
        </span>
        {currency ? (
          <span className="block text-zinc-600 dark:text-zinc-400">
            {formatMoney(total, currency)}
          </span>
        ) : null}
        {note ? (
          <span className="block text-zinc-600 dark:text-zinc-400" dir="auto">
            {note}
          </span>
        ) : null}
      </span>
    </div>
  );
}

function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    // Not an ISO 4217 code Intl knows: show the number with the code as sent.
    return `${amount.toFixed(2)} ${currency}`;
  }
}
