import { describe, expect, it } from "vitest";
import { displayName, formatWaId, initials } from "./contact-name";
import { formatFileSize } from "./format-size";
import { formatListTime } from "./format-time";
import { toIpcError } from "./ipc-error";

describe("contact names", () => {
  it("formats North American numbers and prefixes others with a plus", () => {
    expect(formatWaId("15551234567")).toBe("+1 555-123-4567");
    expect(formatWaId("447700900123")).toBe("+447700900123");
  });

  it("falls back from the profile name to number, username and user id", () => {
    const none = { contactName: null, waId: null, username: null, userId: null };
    expect(displayName({ ...none, contactName: "  Dana  " })).toBe("Dana");
    expect(displayName({ ...none, contactName: " ", waId: "447700900123" })).toBe("+447700900123");
    expect(displayName({ ...none, username: "dana.k" })).toBe("@dana.k");
    expect(displayName({ ...none, userId: "US.42" })).toBe("US.42");
    expect(displayName(none)).toBe("Unknown contact");
  });

  it("takes initials from up to two words and uses # for numbers", () => {
    expect(initials("maría gonzález lópez")).toBe("MG");
    expect(initials("أحمد علي")).toBe("أع");
    expect(initials("+1 555-123-4567")).toBe("#");
    expect(initials("@priya.designs")).toBe("P");
  });
});

describe("formatting", () => {
  it("sizes files in binary units", () => {
    expect(formatFileSize(512)).toBe("512 B");
    expect(formatFileSize(1536)).toBe("1.5 KB");
    expect(formatFileSize(1_245_678)).toBe("1.2 MB");
    expect(formatFileSize(52_428_800)).toBe("50 MB");
  });

  it("uses a 24-hour clock for messages from today", () => {
    const now = new Date(Date.UTC(2026, 10, 18, 23, 0));
    expect(formatListTime(Date.UTC(2026, 10, 18, 21, 5) / 1000, now)).toBe("21:05");
    expect(formatListTime(Date.UTC(2026, 10, 17, 23, 59) / 1000, now)).toBe("Yesterday");
  });
});

describe("IPC errors", () => {
  it("keeps typed backend errors and wraps anything else as internal", () => {
    expect(toIpcError({ code: "notFound", message: "No such conversation" })).toEqual({ code: "notFound", message: "No such conversation" });
    expect(toIpcError({ code: "teapot", message: "?" })).toEqual({ code: "internal", message: "Something went wrong talking to the app." });
    expect(toIpcError(new Error("ipc closed"))).toEqual({ code: "internal", message: "ipc closed" });
    expect(toIpcError("command list_things not found")).toEqual({ code: "internal", message: "command list_things not found" });
  });
});
