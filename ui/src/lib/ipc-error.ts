import type { ErrorCode, IpcError } from "../bindings";

const ERROR_CODES: readonly ErrorCode[] = ["notFound", "invalidInput", "unavailable", "internal"];

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { code?: unknown; message?: unknown };
  return isErrorCode(candidate.code) && typeof candidate.message === "string";
}

/** Every rejection from the backend (or the IPC layer itself) becomes one typed shape. */
export function toIpcError(error: unknown): IpcError {
  if (isIpcError(error)) return error;
  if (error instanceof Error) return { code: "internal", message: error.message };
  if (typeof error === "string" && error.length > 0) return { code: "internal", message: error };
  return { code: "internal", message: "Something went wrong talking to the app." };
}

/** Wraps a command so the promise rejects with an `IpcError`, whatever was thrown. */
export async function callBackend<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toIpcError(error);
  }
}
