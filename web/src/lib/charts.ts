// The charts of the case figures page, drawn with Chartist (SVG, bar and line charts only:
// the smallest library found that draws both). This module is imported dynamically by
// views/cases/Figures.svelte, so Chartist loads with that page only, never with the first page.
// Chartist's own stylesheet is not imported: the build makes one stylesheet for the whole app
// (vite.config.ts, cssCodeSplit false), so its 9 kB would load on every page; Figures.svelte
// styles the few classes these charts use.
//
// The server's Content-Security-Policy has no 'unsafe-inline' for styles: an element's style
// attribute set with setAttribute is refused (and logged) by the browser, while the CSSOM
// (element.style) is allowed. Chartist writes one style attribute (the size of its <svg>), so
// its attribute setter is wrapped to send "style" through the CSSOM instead.

import { BarChart, LineChart, Svg } from 'chartist';

type Attributes = Record<string, unknown>;
const svgPrototype = Svg.prototype as unknown as {
  attr: (attributes: Attributes | string, ns?: string) => unknown;
  getNode: () => Element;
  __pseaCsp?: boolean;
};
if (!svgPrototype.__pseaCsp) {
  const original = svgPrototype.attr;
  svgPrototype.attr = function (this: typeof svgPrototype, attributes: Attributes | string, ns?: string) {
    if (typeof attributes === 'object' && attributes !== null && typeof attributes.style === 'string') {
      const { style, ...rest } = attributes;
      (this.getNode() as SVGElement).style.cssText = style as string;
      return original.call(this, rest, ns);
    }
    return original.call(this, attributes, ns);
  };
  svgPrototype.__pseaCsp = true;
}

/** A value the chart can draw: suppressed counts ("<5") are drawn as gaps. */
export function plottable(value: number | string | null): number | null {
  return typeof value === 'number' ? value : null;
}

export interface Drawn {
  detach(): void;
}

export function barChart(element: HTMLElement, labels: string[], series: (number | null)[][], horizontal = false): Drawn {
  const chart = new BarChart(
    element,
    { labels, series },
    {
      horizontalBars: horizontal,
      reverseData: horizontal,
      height: horizontal ? `${Math.max(120, labels.length * 28 + 40)}px` : '220px',
      axisX: { onlyInteger: true },
      axisY: { onlyInteger: true, offset: horizontal ? 140 : 40 },
      chartPadding: { top: 16, right: 20, bottom: 5, left: 10 },
    },
  );
  return { detach: () => chart.detach() };
}

export function lineChart(element: HTMLElement, labels: string[], series: (number | null)[][]): Drawn {
  const chart = new LineChart(
    element,
    { labels, series },
    {
      height: '220px',
      low: 0,
      showArea: false,
      fullWidth: true,
      axisY: { onlyInteger: true },
      chartPadding: { top: 16, right: 30, bottom: 5, left: 10 },
    },
  );
  return { detach: () => chart.detach() };
}
