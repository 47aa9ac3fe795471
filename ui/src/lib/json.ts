import type { Value as JsonValue } from "../bindings";

export type JsonObject = { [key in string]: JsonValue };

export function asObject(value: JsonValue | null | undefined): JsonObject | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : null;
}

export function asArray(value: JsonValue | null | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

export function stringField(value: JsonValue | null | undefined, key: string): string | null {
  const field = asObject(value)?.[key];
  return typeof field === "string" && field.length > 0 ? field : null;
}

export function numberField(value: JsonValue | null | undefined, key: string): number | null {
  const field = asObject(value)?.[key];
  if (typeof field === "number" && Number.isFinite(field)) return field;
  if (typeof field === "string" && field.trim() !== "" && Number.isFinite(Number(field))) return Number(field);
  return null;
}
