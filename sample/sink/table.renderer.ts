import type { MetricsStore, OtherStats, RouteStats } from './metrics.store';
import { WINDOW_SIZE } from './sample.window';
import { formatTable, type Column } from './text.table';

const ROUTE_COLUMNS: readonly Column[] = [
  { title: 'ROUTE' },
  { title: 'HANDLER', maxWidth: 34 },
  { title: 'COUNT', align: 'right' },
  { title: 'WALL p50', align: 'right' },
  { title: 'p95', align: 'right' },
  { title: 'CPU p50', align: 'right' },
  { title: 'p95', align: 'right' },
  { title: 'STATUS' },
  { title: 'ERRORS', maxWidth: 48 },
];

const OTHER_COLUMNS: readonly Column[] = [
  { title: 'METRIC' },
  { title: 'TYPE' },
  { title: 'TAGS', maxWidth: 40 },
  { title: 'COUNT', align: 'right' },
  { title: 'p50', align: 'right' },
  { title: 'p95', align: 'right' },
  { title: 'VALUE', align: 'right' },
];

/** Renders what the sink received as two tables: per route, then every other series. */
export function renderTables(store: MetricsStore): string[] {
  const routes = [...store.routes.values()].sort(
    (a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method),
  );
  const others = [...store.others.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.tags.localeCompare(b.tags),
  );
  return [
    `HTTP requests (times in ms; percentiles over the last ${WINDOW_SIZE} requests of each route)`,
    ...(routes.length > 0 ? formatTable(ROUTE_COLUMNS, routes.map(routeRow)) : ['  (none yet)']),
    '',
    'Other metrics (@Measure, counters, gauges...)',
    ...(others.length > 0 ? formatTable(OTHER_COLUMNS, others.map(otherRow)) : ['  (none yet)']),
  ];
}

function routeRow(stats: RouteStats): string[] {
  const [wall50, wall95] = stats.wall.percentiles([50, 95]);
  const [cpu50, cpu95] = stats.cpu.percentiles([50, 95]);
  return [
    `${stats.method} ${stats.route}`,
    stats.handler,
    formatCount(stats.count),
    formatMs(wall50),
    formatMs(wall95),
    formatMs(cpu50),
    formatMs(cpu95),
    formatCounts(stats.statuses, ' '),
    formatCounts(stats.errors, ', '),
  ];
}

function otherRow(stats: OtherStats): string[] {
  const isTiming = stats.type === 'ms' || stats.type === 'h' || stats.type === 'd';
  const [p50, p95] = isTiming ? stats.window.percentiles([50, 95]) : [Number.NaN, Number.NaN];
  return [
    stats.name,
    stats.type,
    stats.tags,
    isTiming ? formatCount(stats.count) : '-',
    formatMs(p50),
    formatMs(p95),
    value(stats),
  ];
}

/** What a series amounts to: a counter's total, a gauge's last value, a set's distinct members. */
function value(stats: OtherStats): string {
  switch (stats.type) {
    case 'c':
      return `total ${formatCount(stats.sum)}`;
    case 'g':
      return `last ${Number.isInteger(stats.last) ? stats.last : formatNumber(stats.last)}`;
    case 's':
      return `${stats.members.size} distinct`;
    default:
      return '';
  }
}

function formatCounts(counts: ReadonlyMap<string, number>, separator: string): string {
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => `${key}×${formatCount(count)}`)
    .join(separator);
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function formatMs(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  return formatNumber(value);
}

function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
