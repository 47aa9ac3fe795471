import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./index.css";
import { AppProvider } from "./provider";
import { RootLayout } from "./root-layout";

async function start() {
  // The preview-mock build (screenshots, UI work without Rust) fakes the backend.
  // Vite replaces MODE at build time, so production bundles drop this branch and its chunk.
  if (import.meta.env.MODE === "preview-mock") {
    const { installPreviewBackend } = await import("../testing/preview-backend");
    installPreviewBackend();
  }
  const container = document.getElementById("root");
  if (!container) throw new Error("The page has no #root element to render into.");
  createRoot(container).render(
    <StrictMode>
      <AppProvider>
        <RootLayout />
      </AppProvider>
    </StrictMode>,
  );
}

void start();
