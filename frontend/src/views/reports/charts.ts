import type { ChartOption } from '@/components/charts'
import type { CycleRow, SpendMonth, SupplierRow } from '@/api/reports'

/** Months on the x axis, one stacked bar series per group: the committed amount of each. */
export function spendByMonthOption(rows: SpendMonth[]): ChartOption {
  const months = [...new Set(rows.map((r) => r.month))].sort()
  const labels = [...new Set(rows.map((r) => r.label))]
  const series = labels.map((label) => ({
    type: 'bar' as const,
    name: label,
    stack: 'committed',
    data: months.map((m) => {
      const row = rows.find((r) => r.month === m && r.label === label)
      return row ? Number(row.committed) : 0
    }),
  }))
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 64, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value' },
    series,
  } as ChartOption
}

/** Median and p90 hours per approval step, side by side. */
export function cycleTimeOption(rows: CycleRow[]): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 56, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: rows.map((r) => r.label) },
    yAxis: { type: 'value', name: 'hours' },
    series: [
      { type: 'bar', name: 'Median', data: rows.map((r) => r.median_hours ?? 0) },
      { type: 'bar', name: 'P90', data: rows.map((r) => r.p90_hours ?? 0) },
    ],
  } as ChartOption
}

/** One point per supplier: on-time rate (%) against price variance vs PO (%). */
export function supplierScatterOption(rows: SupplierRow[]): ChartOption {
  const points = rows
    .filter((r) => r.on_time_rate !== null)
    .map((r) => ({
      name: r.name,
      value: [pct(r.on_time_rate), pct(r.price_variance_po)],
      supplierId: r.supplier_id,
    }))
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    grid: { left: 56, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'value', name: 'on time %', min: 0, max: 100 },
    yAxis: { type: 'value', name: 'price variance %' },
    series: [{ type: 'scatter', symbolSize: 14, data: points }],
  } as ChartOption
}

/** A rate such as "0.6667" as a percentage with one decimal (66.7); null as 0. */
export function pct(rate: string | null): number {
  return rate === null ? 0 : Math.round(Number(rate) * 1000) / 10
}
