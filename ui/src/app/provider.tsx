import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { subscribeToBackendEvents } from "../lib/backend-events";
import { createQueryClient } from "../lib/query-client";

export function AppProvider({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  useEffect(() => subscribeToBackendEvents(client), [client]);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
