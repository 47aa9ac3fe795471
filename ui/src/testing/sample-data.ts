import type { ConversationSummary, Message } from "../bindings";
import { buildConversation, buildMessage, buildPreview } from "./factories";

/**
 * A small, varied inbox used by the preview-mock build: every kind of row and bubble the
 * screen knows how to draw, with times relative to `nowSeconds`.
 */
export function sampleInbox(nowSeconds: number): { conversations: ConversationSummary[]; messages: Record<number, Message[]> } {
  const minutes = (n: number) => nowSeconds - n * 60;
  const days = (n: number) => nowSeconds - n * 86_400;
  const conversations: ConversationSummary[] = [
    buildConversation({
      id: 1,
      contactName: "María González",
      waId: "5215512345678",
      pinned: true,
      unreadCount: 2,
      lastMessage: buildPreview({ text: "¿Tienen pan de muerto hoy?", waTimestamp: minutes(3) }),
    }),
    buildConversation({
      id: 2,
      contactName: "John Carter",
      waId: "15551234567",
      lastMessage: buildPreview({ kind: "text", text: "See you at 5!", direction: "out", status: "read", waTimestamp: minutes(40) }),
    }),
    buildConversation({
      id: 3,
      contactName: "أحمد علي",
      waId: "971501234567",
      muted: true,
      unreadCount: 5,
      lastMessage: buildPreview({ kind: "image", text: null, waTimestamp: minutes(95) }),
    }),
    buildConversation({
      id: 4,
      contactName: null,
      waId: null,
      username: "priya.designs",
      userId: "US.13491208655302741918",
      markedUnread: true,
      lastMessage: buildPreview({ kind: "document", text: "Invoice-1043.pdf", direction: "out", status: "delivered", waTimestamp: days(1) }),
    }),
    buildConversation({
      id: 5,
      contactName: null,
      waId: "447700900123",
      lastMessage: buildPreview({ kind: "location", text: null, waTimestamp: days(3) }),
    }),
    buildConversation({
      id: 6,
      contactName: "Wei Chen",
      waId: "8613800138000",
      lastMessage: buildPreview({ text: "Order confirmed", direction: "out", status: "failed", waTimestamp: days(9) }),
    }),
    buildConversation({
      id: 8,
      contactName: "Busy Café (wholesale)",
      waId: "4915112345678",
      lastMessage: buildPreview({ text: "Message 180", waTimestamp: minutes(200) }),
    }),
    buildConversation({
      id: 7,
      contactName: "Old Supplier",
      waId: "34600111222",
      archived: true,
      lastMessage: buildPreview({ text: "Thanks for the business", waTimestamp: days(40) }),
    }),
  ];

  const thread = (conversationId: number, list: Array<Partial<Message>>) =>
    list.map((message, index) => buildMessage({ id: conversationId * 100 + index, conversationId, seq: index, ...message }));

  const messages: Record<number, Message[]> = {
    1: thread(1, [
      { kind: "request_welcome", body: null, waTimestamp: days(2) },
      { body: "Hola! Do you deliver to Coyoacán?", waTimestamp: days(2) + 30 },
      {
        direction: "out",
        status: "read",
        body: "Yes, we deliver every morning.\nMenu: https://cornerbakery.example/menu",
        waTimestamp: days(2) + 300,
        reactions: [{ reactor: "customer", emoji: "❤️" }],
      },
      { kind: "location", body: null, details: { latitude: 19.3467, longitude: -99.1617, name: "Casa", address: "Av. Francisco Sosa 202, Coyoacán" }, waTimestamp: days(1) },
      {
        kind: "interactive",
        body: null,
        details: { type: "button_reply", button_reply: { id: "deliver-am", title: "Morning delivery" } },
        waTimestamp: days(1) + 120,
      },
      {
        kind: "image",
        body: null,
        caption: "This one please",
        media: { mimeType: "image/jpeg", fileName: null, sizeBytes: 482_113, sha256: null, thumbnailSha256: null, lastError: null, state: "downloaded", voice: false, animated: false },
        forwarded: "forwarded",
        waTimestamp: minutes(30),
      },
      {
        direction: "out",
        status: "delivered",
        body: "Perfect, 2 loaves reserved for you.",
        replyTo: { wamid: "wamid.x", kind: "image", text: "This one please", direction: "in" },
        waTimestamp: minutes(20),
      },
      { direction: "out", status: "pending", body: "We open at 7:00.", waTimestamp: minutes(5) },
      { body: "¿Tienen pan de muerto hoy?", waTimestamp: minutes(3) },
      { kind: "order", body: null, details: { catalog_id: "c1", text: "For Saturday", product_items: [{ product_retailer_id: "pan-1", quantity: 2, item_price: 45, currency: "MXN" }, { product_retailer_id: "concha", quantity: 6, item_price: 12, currency: "MXN" }] }, waTimestamp: minutes(2) },
      {
        direction: "out",
        status: "failed",
        body: "Your order is ready",
        error: { code: 131047, title: "Re-engagement message", details: "More than 24 hours have passed since the customer last replied." },
        waTimestamp: minutes(1),
      },
      { kind: "reaction_removed_story", body: null, details: { type: "ephemeral" }, waTimestamp: minutes(1) + 10 },
    ]),
    2: thread(2, [
      { body: "Can I pick up at 5?", waTimestamp: minutes(50) },
      { direction: "out", status: "read", body: "See you at 5!", waTimestamp: minutes(40), forwarded: "frequently" },
    ]),
    3: thread(3, [
      { body: "مرحبا، هل الطلب جاهز؟", waTimestamp: minutes(120) },
      { kind: "audio", body: null, media: { mimeType: "audio/ogg; codecs=opus", fileName: null, sizeBytes: 23_004, sha256: null, thumbnailSha256: null, lastError: null, state: "downloading", voice: true, animated: false }, waTimestamp: minutes(100) },
      { kind: "image", body: null, media: { mimeType: "image/jpeg", fileName: null, sizeBytes: null, sha256: null, thumbnailSha256: null, lastError: null, state: "expired", voice: false, animated: false }, waTimestamp: minutes(95) },
    ]),
    4: thread(4, [
      { kind: "contacts", body: null, details: [{ name: { formatted_name: "Ravi Kumar" }, phones: [{ phone: "+91 98765 43210" }], org: { company: "Kumar Prints" } }], waTimestamp: days(1) - 600 },
      { direction: "out", status: "delivered", kind: "document", body: null, media: { mimeType: "application/pdf", fileName: "Invoice-1043.pdf", sizeBytes: 1_245_678, sha256: null, thumbnailSha256: null, lastError: null, state: "local", voice: false, animated: false }, waTimestamp: days(1) },
    ]),
    5: [],
    6: thread(6, [
      { kind: "system", body: "Customer changed their phone number.", waTimestamp: days(9) - 100 },
      { direction: "out", status: "failed", body: "Order confirmed", error: { code: 131026, title: "Message undeliverable", details: null }, waTimestamp: days(9) },
    ]),
    7: thread(7, [{ body: "Thanks for the business", waTimestamp: days(40) }]),
    // Long enough to need several pages: exercises virtualization and paging backwards.
    8: thread(
      8,
      Array.from({ length: 180 }, (_, index) => ({
        direction: index % 3 === 0 ? ("out" as const) : ("in" as const),
        status: index % 3 === 0 ? ("read" as const) : null,
        body: index % 7 === 0 ? `Message ${index + 1}\nwith a second line\nand a third` : `Message ${index + 1}`,
        waTimestamp: minutes(200) - (179 - index) * 45 * 60,
      })),
    ),
  };
  return { conversations, messages };
}
