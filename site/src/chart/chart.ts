// What the page's charts share: colours read from the stylesheet's custom properties (so light
// and dark come from one place, style.css), the axes' look, a redraw when the theme changes, and
// the data table behind every chart.

import type uPlot from "uplot";

let probe: HTMLElement | null = null;

/**
 * A colour from style.css as the theme currently resolves it ("rgb(37, 99, 235)"): the custom
 * properties hold light-dark() pairs, which only an element's computed colour resolves.
 */
export function themeColor(name: string): string {
  if (!probe) {
    probe = document.createElement("span");
    probe.hidden = true;
    document.body.appendChild(probe);
  }
  probe.style.color = `var(${name})`;
  return getComputedStyle(probe).color || "#888";
}

const font = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** An axis in the page's quiet style; colours are functions, so a theme change needs only a redraw. */
export function axisStyle(): uPlot.Axis {
  return {
    stroke: () => themeColor("--muted"),
    grid: { stroke: () => themeColor("--grid"), width: 1 },
    ticks: { stroke: () => themeColor("--grid"), width: 1 },
    font,
    labelFont: font,
  };
}

/** Calls fn when the colours change: the system's scheme, or a data-theme set on <html>. */
export function onThemeChange(fn: () => void): void {
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", fn);
  new MutationObserver(fn).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
}

/** Rewrites the data table behind a chart: its caption, column headers and rows of text. */
export function fillTable(table: HTMLTableElement, caption: string, headers: string[], rows: string[][]): void {
  table.textContent = "";
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of row) tr.insertCell().textContent = v;
  }
}
