/** The identity fields a conversation or contact carries. */
export type ContactIdentity = {
  contactName: string | null;
  waId: string | null;
  username: string | null;
  userId: string | null;
};

/** "+15551234567" → "+1 555-123-4567" for North American numbers; others as "+<digits>". */
export function formatWaId(waId: string): string {
  const digits = waId.replace(/\D/g, "");
  if (digits.length === 11 && digits.startsWith("1")) {
    return `+1 ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  }
  return `+${digits}`;
}

/**
 * A customer may be known by profile name, phone number, username, or only by the
 * business-scoped user id; the best available one names the chat.
 */
export function displayName(contact: ContactIdentity): string {
  const name = contact.contactName?.trim();
  if (name) return name;
  return secondaryIdentity(contact) ?? "Unknown contact";
}

/** The number (or handle) shown under the name, when there is one. */
export function secondaryIdentity(contact: Omit<ContactIdentity, "contactName">): string | null {
  if (contact.waId) return formatWaId(contact.waId);
  if (contact.username) return `@${contact.username}`;
  if (contact.userId) return contact.userId;
  return null;
}

/** Up to two initials from the name's words; "#" when the chat is named by a number. */
export function initials(name: string): string {
  const words = name
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+/u, ""))
    .filter((word) => word.length > 0);
  const letters = words
    .slice(0, 2)
    .map((word) => Array.from(word)[0] ?? "")
    .join("");
  if (letters === "" || /^\p{N}/u.test(letters)) return "#";
  return letters.toUpperCase();
}
