// What the page's uPlot charts share: colours read from the stylesheet's custom properties (so
// light and dark come from one place, style.css), the axes' look, and a redraw when the system
// switches between light and dark.

import type uPlot from "uplot";

/** A colour from style.css (:root custom properties), as the theme currently has it. */
export function themeColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
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

/** Calls fn when the system's colour scheme changes. */
export function onThemeChange(fn: () => void): void {
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", fn);
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
