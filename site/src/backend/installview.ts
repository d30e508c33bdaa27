// The install command in the backend panel (data-testid install-command, data-os = the system
// shown): the visitor's system's line first, the others one click away, and a copy button. The
// lines come from installcommand.ts; this file only binds them to index.html's elements.

import { guessOS, installLine, installSystems, type InstallOS } from "./installcommand";

export class InstallCommandView {
  private os: InstallOS;
  private origin = "";
  private backendURL = "";
  private readonly line: HTMLElement;
  private readonly copy: HTMLButtonElement;

  constructor(private readonly el: HTMLElement) {
    const uaData = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
    this.os = guessOS(navigator.userAgent, uaData?.platform ?? "");
    this.line = el.querySelector<HTMLElement>(".install-line")!;
    this.copy = el.querySelector<HTMLButtonElement>("[data-testid=install-copy]")!;
    const systems = el.querySelector<HTMLElement>(".install-systems")!;
    for (const { os, label } of installSystems) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "quiet small";
      b.dataset.os = os;
      b.textContent = label;
      b.addEventListener("click", () => {
        this.os = os;
        this.render();
      });
      systems.append(b);
    }
    this.copy.addEventListener("click", () => void this.copyLine());
  }

  /** Shows the line that starts a backend for the page at origin, listening where backendURL points. */
  show(origin: string, backendURL: string): void {
    this.origin = origin;
    this.backendURL = backendURL;
    this.el.hidden = false;
    this.render();
  }

  hide(): void {
    this.el.hidden = true;
  }

  get visible(): boolean {
    return !this.el.hidden;
  }

  private render(): void {
    this.el.dataset.os = this.os;
    this.line.textContent = installLine(this.os, this.origin, this.backendURL);
    for (const b of this.el.querySelectorAll<HTMLButtonElement>(".install-systems button")) {
      b.setAttribute("aria-pressed", String(b.dataset.os === this.os));
    }
    this.copy.textContent = "Copy";
  }

  // The clipboard needs a secure context; elsewhere the line is selected for Ctrl-C.
  private async copyLine(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.line.textContent ?? "");
      this.copy.textContent = "Copied";
    } catch {
      getSelection()?.selectAllChildren(this.line);
      this.copy.textContent = "Press Ctrl-C";
    }
  }
}
