import "@testing-library/jest-dom/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// jsdom does no layout. The virtualized lists need a viewport and row heights to
// decide what to render, so give scroll containers a size and rows a fixed height.
Object.defineProperty(HTMLElement.prototype, "clientHeight", {
  configurable: true,
  get() {
    return 720;
  },
});
Object.defineProperty(HTMLElement.prototype, "clientWidth", {
  configurable: true,
  get() {
    return 1000;
  },
});
Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
  configurable: true,
  get(this: HTMLElement) {
    return this.hasAttribute("data-index") ? 60 : 0;
  },
});
// A virtualized list's content height is the inline height of its sizing child.
Object.defineProperty(HTMLElement.prototype, "scrollHeight", {
  configurable: true,
  get(this: HTMLElement) {
    const child = this.firstElementChild;
    return child instanceof HTMLElement ? Number.parseFloat(child.style.height) || 0 : 0;
  },
});
Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number, y?: number) {
  const top = typeof options === "number" ? y : options?.top;
  if (typeof top === "number" && top !== this.scrollTop) {
    this.scrollTop = top;
    // Browsers report programmatic scrolls with a scroll event, which the virtualizer follows.
    this.dispatchEvent(new Event("scroll"));
  }
};

afterEach(() => {
  cleanup();
  clearMocks();
});
