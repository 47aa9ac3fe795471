import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode, type ReactElement } from "react";
import { AppProvider } from "../app/provider";
import { RootLayout } from "../app/root-layout";
import { createQueryClient } from "../lib/query-client";

/** Renders a screen (the whole app by default) with every provider and a fresh cache. */
export function renderApp(ui: ReactElement = <RootLayout />) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const user = userEvent.setup();
  // StrictMode as in main.tsx, so effects that must not double-fire are checked.
  const result = render(
    <StrictMode>
      <AppProvider queryClient={queryClient}>{ui}</AppProvider>
    </StrictMode>,
  );
  return { ...result, user, queryClient };
}
