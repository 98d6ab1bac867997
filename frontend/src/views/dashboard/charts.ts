import type { ChartOption } from '@/components/charts/types'
import type { SpendMonth, StatusCounts } from '@/types/dashboard'
import { REQUISITION_STATUSES } from '@/types/requisitions'
import { formatMoney, sum } from '@/utils/money'

/** The StatusTag palette (Element Plus colours), so a chart reads like the lists. */
export const STATUS_COLORS: Record<string, string> = {
  Draft: '#909399',
  Submitted: '#409eff',
  'Under Review': '#e6a23c',
  Approved: '#67c23a',
  Rejected: '#f56c6c',
  Questioned: '#b88230',
  Cancelled: '#c8c9cc',
}
const FALLBACK_COLOR = '#a0cfff'

/** Statuses in workflow order, then any the server adds. */
export function orderedStatuses(counts: StatusCounts): string[] {
  const known: string[] = REQUISITION_STATUSES.filter((s) => s in counts)
  return [...known, ...Object.keys(counts).filter((s) => !known.includes(s))]
}

const colorOf = (status: string) => STATUS_COLORS[status] ?? FALLBACK_COLOR

export function statusDoughnut(counts: StatusCounts): ChartOption {
  const data = orderedStatuses(counts)
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => ({ name: s, value: counts[s] ?? 0, itemStyle: { color: colorOf(s) } }))
  const count = new Map(data.map((d) => [d.name, d.value]))
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: {
      type: 'scroll',
      orient: 'vertical',
      right: 8,
      top: 'middle',
      icon: 'circle',
      formatter: (name: string) => `${name}  ${count.get(name) ?? 0}`,
    },
    series: [
      {
        name: 'Requisitions',
        type: 'pie',
        radius: ['50%', '78%'],
        center: ['38%', '50%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        data,
      },
    ],
  }
}

export function statusBar(counts: StatusCounts): ChartOption {
  const statuses = orderedStatuses(counts)
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: statuses, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: 'Requisitions',
        type: 'bar',
        barMaxWidth: 36,
        data: statuses.map((s) => ({ value: counts[s] ?? 0, itemStyle: { color: colorOf(s) } })),
      },
    ],
  }
}

/** "2026-11" → "Nov 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number)
  if (!y || !m) return month
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-US', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })
}

/** The exact total of the months, as money. */
export function spendTotal(months: SpendMonth[]): string {
  return formatMoney(sum(months.map((m) => m.amount)))
}

function nextMonth(month: string): string {
  const [y = 0, m = 1] = month.split('-').map(Number)
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
}

/**
 * The months from the first with spend to `until` (the current month), those without
 * spend as "0.00", so the axis shows time evenly.
 */
export function fillMonths(months: SpendMonth[], until: string): SpendMonth[] {
  const valid = months.filter((m) => /^\d{4}-\d{2}$/.test(m.month))
  if (valid.length !== months.length || !valid.length) return months
  const byMonth = new Map(valid.map((m) => [m.month, m.amount]))
  const sorted = [...byMonth.keys()].sort()
  const last = [sorted[sorted.length - 1] ?? until, until].sort()[1] ?? until
  const out: SpendMonth[] = []
  for (
    let month = sorted[0] ?? until;
    month <= last && out.length < 120;
    month = nextMonth(month)
  ) {
    out.push({ month, amount: byMonth.get(month) ?? '0.00' })
  }
  return out
}

/** The reader's current month as YYYY-MM. */
export function currentMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 })

export function spendChart(months: SpendMonth[], until = currentMonth()): ChartOption {
  const sorted = fillMonths(months, until)
  // Number() only places the bar on the axis; the tooltip shows the exact decimal string.
  const data = sorted.map((m) => ({ value: Number(m.amount), exact: m.amount }))
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const point = p as { name: string; data: { exact: string } }
        return `${point.name}<br/><b>${formatMoney(point.data.exact)}</b>`
      },
    },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: sorted.map((m) => monthLabel(m.month)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact.format(v) } },
    series: [
      {
        name: 'Approved spend',
        type: sorted.length > 6 ? 'line' : 'bar',
        barMaxWidth: 40,
        smooth: true,
        areaStyle: sorted.length > 6 ? { opacity: 0.15 } : undefined,
        itemStyle: { color: '#409eff' },
        data,
      },
    ],
  } as ChartOption
}
