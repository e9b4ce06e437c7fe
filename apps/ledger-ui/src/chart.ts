import * as Plot from '@observablehq/plot';
import { BAR_KINDS, type Bar, type Marker, type Timeline } from './timeline';
import { when } from './dom';

const EVENTS_ROW = 'events';
/** Colours that stay apart for the common kinds of colour blindness (Okabe–Ito). */
const KIND_COLOURS = ['#0072B2', '#56B4E9', '#E69F00', '#009E73', '#CC79A7'];

export interface TimelineChart {
  readonly element: Element;
  /** Where a moment falls across the chart, in pixels from its left edge. */
  x(at: string): number;
  /** The chart itself, below its legend. */
  plotArea(): Element;
}

const barTitle = (b: Bar) => `${b.lane}: ${b.label}\n${b.kind}, ${when(b.from)} – ${b.to ? when(b.to) : 'now'} (${b.ending})`;
const markerTitle = (m: Marker) => `${m.refused ? `REFUSED ${m.ref}: ` : ''}${m.type}\n${when(m.at)} by ${m.actor} through ${m.client}`;

/**
 * The customer's timeline as one chart: a band per partner (the lanes), in it a row per kind of right the
 * partner held (bars from start to end) and a row of its events (dots; refused commands as crosses).
 */
export function timelineChart(timeline: Timeline, width: number): TimelineChart {
  const rows = [...BAR_KINDS.filter((kind) => timeline.bars.some((b) => b.kind === kind)), EVENTS_ROW];
  const end = new Date(timeline.end);
  const plot = Plot.plot({
    width,
    height: 40 + timeline.lanes.length * (rows.length * 16 + 12),
    marginLeft: 140,
    marginRight: 20,
    ariaLabel: `Timeline of the customer: ${timeline.lanes.length} lanes, ${timeline.bars.length} spans, ${timeline.markers.length} events and refusals`,
    x: { type: 'utc', domain: [new Date(timeline.start), end], label: null, grid: true },
    y: { domain: rows, label: null, axis: null, padding: 0.15 },
    fy: { domain: timeline.lanes, label: null, padding: 0.15 },
    color: { domain: [...BAR_KINDS], range: KIND_COLOURS, legend: true },
    facet: { marginLeft: 140 },
    marks: [
      // The band of each partner, outlined (hidden from screen readers: the tables say the same).
      Plot.frame({ stroke: '#ccc', ariaHidden: 'true' }),
      Plot.barX(timeline.bars, {
        fy: 'lane', y: 'kind', x1: (b: Bar) => new Date(b.from), x2: (b: Bar) => (b.to ? new Date(b.to) : end), fill: 'kind',
        fillOpacity: (b: Bar) => (b.ending.startsWith('in force') ? 1 : 0.55), title: barTitle,
      }),
      Plot.dot(timeline.markers.filter((m) => !m.refused), {
        fy: 'lane', y: () => EVENTS_ROW, x: (m: Marker) => new Date(m.at), r: 3.5, fill: '#333', title: markerTitle,
      }),
      Plot.dot(timeline.markers.filter((m) => m.refused), {
        fy: 'lane', y: () => EVENTS_ROW, x: (m: Marker) => new Date(m.at), r: 5, symbol: 'times', stroke: '#D55E00', strokeWidth: 2, title: markerTitle,
      }),
    ],
  });
  const x = plot.scale('x');
  return {
    element: plot,
    plotArea: () => (plot instanceof SVGSVGElement ? plot : plot.querySelector('svg[aria-label]')) ?? plot,
    x: (at: string) => Number(x?.apply(new Date(at)) ?? 0),
  };
}
