// A native run that the page framing an embed asks for (docs/embed.md, "Commands"): the host
// page may not start work on the reader's backend, so the card shows the request and a "Run on
// your backend" button, and only the reader's press of it starts the run, that one run. A
// press is a trusted click on the card's own button: the host page cannot make one, and
// user activation that lingers after an earlier click in the card (hasBeenActive) does not
// count. The request is withdrawn when the host changes the parameters or cancels, so what
// runs is what the card showed when the reader pressed.

import type { RunWhere } from "../run/runs";

export class HostRequest {
  private readonly box: HTMLElement;
  private readonly what: HTMLElement;
  private where: RunWhere | "all" | null = null;

  /** Mounts the (hidden) request after anchor; start runs what was asked, once pressed. */
  constructor(anchor: Element | null, start: (where: RunWhere | "all") => void) {
    this.box = document.createElement("p");
    this.box.className = "host-request note";
    this.box.dataset.testid = "host-request";
    this.box.hidden = true;
    this.what = document.createElement("span");
    const run = document.createElement("button");
    run.type = "button";
    run.className = "primary small";
    run.dataset.testid = "host-request-run";
    run.textContent = "Run on your backend";
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "quiet small";
    dismiss.textContent = "No";
    this.box.append(this.what, " ", run, " ", dismiss);
    anchor?.after(this.box);
    run.addEventListener("click", (e) => {
      const where = this.where;
      this.withdraw();
      if (e.isTrusted && where) start(where);
    });
    dismiss.addEventListener("click", () => this.withdraw());
  }

  /** Shows the host page's request for a native run of what (a variant, or every variant). */
  ask(where: RunWhere | "all", what: string): void {
    this.where = where;
    this.what.textContent = `This page asks to run ${what} on your own backend, with the settings above.`;
    this.box.hidden = false;
  }

  withdraw(): void {
    this.where = null;
    this.box.hidden = true;
  }
}
