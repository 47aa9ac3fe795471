import { screen, within } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { describe, expect, it } from "vitest";
import { buildConversation } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";

describe("account problem banner", () => {
  it("appears when Meta refuses the access token and can be dismissed", async () => {
    installFakeBackend({ conversations: [buildConversation({ contactName: "Dana" })] });
    const { user } = renderApp();
    await screen.findByRole("option", { name: "Dana" });
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();

    await emit("account-problem", { message: "Meta refused the access token: (#190) Invalid OAuth access token" });

    const banner = await screen.findByRole("alert");
    expect(banner).toHaveTextContent("WhatsApp account needs attention");
    expect(banner).toHaveTextContent("Invalid OAuth access token");
    await user.click(within(banner).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
