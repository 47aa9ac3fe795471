import { QueryClient } from "@tanstack/react-query";
import type { IpcError } from "../bindings";

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: IpcError;
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Data changes only when the backend says so (see backend-events.ts), so a long
        // stale time is safe and window focus is not a reason to refetch.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: 1,
      },
    },
  });
}
