import type { ErrorCode, IpcError } from "../bindings";

const ERROR_CODES: readonly ErrorCode[] = ["notFound", "invalidInput", "outsideServiceWindow", "unavailable", "internal"];

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

/** False when the page runs in a plain browser tab instead of the app window. */
export function hasBackend(): boolean {
  if (typeof window === "undefined") return false;
  const internals = (window as { __TAURI_INTERNALS__?: { invoke?: unknown } }).__TAURI_INTERNALS__;
  return typeof internals?.invoke === "function";
}

const NO_BACKEND: IpcError = {
  code: "unavailable",
  message: "This page is not running inside the ChatSphere app window, so there is no data to show.",
};

/** Wraps a command so the promise rejects with an `IpcError`, whatever was thrown. */
export async function callBackend<T>(run: () => Promise<T>): Promise<T> {
  // Without the app's IPC bridge `invoke` fails with an unhelpful TypeError.
  if (!hasBackend()) throw NO_BACKEND;
  try {
    return await run();
  } catch (error) {
    throw toIpcError(error);
  }
}
