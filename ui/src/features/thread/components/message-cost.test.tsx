import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { buildConversation, buildMessage } from "../../../testing/factories";
import { installFakeBackend } from "../../../testing/fake-backend";
import { renderApp } from "../../../testing/render-app";
import { costLabel } from "./message-cost";

describe("message cost", () => {
  it("names the category and whether it is billed", () => {
    expect(costLabel({ category: "marketing", billable: true })).toBe("Marketing · billable");
    expect(costLabel({ category: "service", billable: false })).toBe("Service · free");
    expect(costLabel({ category: "referral_conversion", billable: false })).toBe("Free entry point · free");
    expect(costLabel({ category: "marketing_lite", billable: null })).toBe("Marketing lite");
    expect(costLabel({ category: "SOME_NEW_CATEGORY", billable: true })).toBe("Some new category · billable");
  });

  it("shows under an outgoing message once a status reported it, and nowhere else", async () => {
    installFakeBackend({
      conversations: [buildConversation({ id: 1, contactName: "Dana" })],
      messages: {
        1: [
          buildMessage({ id: 1, conversationId: 1, direction: "in", body: "Any offers?" }),
          buildMessage({ id: 2, conversationId: 1, direction: "out", kind: "template", body: "20% off this week", pricing: { category: "marketing", billable: true } }),
          buildMessage({ id: 3, conversationId: 1, direction: "out", body: "Not priced yet", pricing: null }),
        ],
      },
    });
    const { user } = renderApp();
    await user.click(await screen.findByRole("option", { name: "Dana" }));
    await screen.findByText("20% off this week");
    const [received, priced, unpriced] = screen.getAllByTestId("message");
    expect(within(priced as HTMLElement).getByTestId("message-cost")).toHaveTextContent("Marketing · billable");
    expect(within(received as HTMLElement).queryByTestId("message-cost")).not.toBeInTheDocument();
    expect(within(unpriced as HTMLElement).queryByTestId("message-cost")).not.toBeInTheDocument();
  });
});
