import type { RouteLocationRaw } from 'vue-router'
import type { Dashboard, StatusCounts } from '@/types/dashboard'
import { compare, formatMoney, isValidDecimal } from '@/utils/money'

/** How a known dashboard key is shown; any other numeric key gets a humanized label. */
export interface KpiDef {
  label: string
  hint?: string
  /** Where clicking the card goes. */
  to?: RouteLocationRaw
  /** A value above zero needs attention (shown in red). */
  alarm?: boolean
  /** `money`: a decimal string shown as an amount (never through a float). */
  format?: 'count' | 'money'
}

export interface Kpi {
  key: string
  testId: string
  label: string
  hint?: string
  value: string
  to?: RouteLocationRaw
  tone?: 'danger'
}

/** Open = somebody still has to act on it. */
export const OPEN_STATUSES = ['Submitted', 'Under Review', 'Questioned'] as const

/** Known keys, in the order their cards appear. Adding a module's key needs no code change. */
export const KPI_REGISTRY: Record<string, KpiDef> = {
  my_open: {
    label: 'My open requisitions',
    hint: 'Submitted, under review or questioned',
    to: { name: 'requisitions' },
  },
  my_drafts: { label: 'My drafts', hint: 'Not submitted yet', to: { name: 'requisitions' } },
  approvals_waiting: {
    label: 'Approvals waiting',
    hint: 'In my inbox',
    to: { name: 'inbox' },
  },
  approvals_overdue: {
    label: 'Overdue approvals',
    hint: 'Past their due time',
    to: { name: 'inbox' },
    alarm: true,
  },
  approvals_pending_total: { label: 'Pending approval steps', hint: 'Across the company' },
  sourcing_queue: {
    label: 'Lines to source',
    hint: 'Approved, no purchase order yet',
    to: { name: 'sourcing' },
  },
  pos_draft: {
    label: 'Draft POs',
    hint: 'To finish and submit',
    to: { name: 'purchase-orders', query: { status: 'Draft' } },
  },
  pos_pending_approval: {
    label: 'POs to approve',
    hint: 'At or above the approval threshold',
    to: { name: 'purchase-orders', query: { status: 'Pending Approval' } },
  },
  pos_to_send: {
    label: 'POs to send',
    hint: 'Approved, not sent to the supplier',
    to: { name: 'purchase-orders', query: { status: 'Approved' } },
  },
  pos_awaiting_receipt: {
    label: 'POs awaiting receipt',
    hint: 'Sent, not fully received',
    to: { name: 'receiving' },
  },
  receipts_pending_acceptance: {
    label: 'Awaiting acceptance',
    hint: 'Received, not yet accepted by the requester',
    to: { name: 'receipts' },
  },
  low_stock_items: {
    label: 'Low-stock items',
    hint: 'Available below the reorder level',
    to: { name: 'inventory', query: { tab: 'low' } },
    alarm: true,
  },
  invoices_due: {
    label: 'Invoices due',
    hint: 'Approved, not fully paid',
    to: { name: 'ap-aging' },
  },
  invoices_overdue: {
    label: 'Overdue invoices',
    hint: 'Past their due date',
    to: { name: 'ap-aging' },
    alarm: true,
  },
  invoices_exception: {
    label: 'Invoice exceptions',
    hint: 'Three-way match found differences',
    to: { name: 'invoices', query: { status: 'Exception' } },
    alarm: true,
  },
}

const ACRONYMS: Record<string, string> = {
  po: 'PO',
  pos: 'POs',
  rfq: 'RFQ',
  rfqs: 'RFQs',
  grn: 'GRN',
  grns: 'GRNs',
  id: 'ID',
  kpi: 'KPI',
}

/** `pos_awaiting_receipt` → "POs awaiting receipt". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase())
  if (!words.length) return key
  const [first = '', ...rest] = words
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ')
}

export function kpiTestId(key: string): string {
  return `kpi-${key.replace(/_/g, '-')}`
}

function countOf(counts: StatusCounts | undefined, statuses: readonly string[]): number {
  return statuses.reduce((total, s) => total + (Number(counts?.[s]) || 0), 0)
}

/** The figures derived from sections (my open / my drafts), as plain numeric keys. */
function derived(dashboard: Dashboard): Record<string, number> {
  const mine = dashboard.my_requisitions_by_status
  if (!mine || typeof mine !== 'object') return {}
  return { my_open: countOf(mine, OPEN_STATUSES), my_drafts: countOf(mine, ['Draft']) }
}

function display(def: KpiDef | undefined, value: unknown): string | null {
  if (def?.format === 'money') return isValidDecimal(value) ? formatMoney(value as string) : null
  if (typeof value === 'number' && Number.isFinite(value)) return value.toLocaleString('en-US')
  return null
}

function isPositive(value: unknown): boolean {
  return typeof value === 'number'
    ? value > 0
    : isValidDecimal(value) && compare(value as string, '0') > 0
}

/**
 * Every KPI card the dashboard can show: the registry's keys in its order, then any
 * other numeric key the server sends (a module shipped after this screen).
 */
export function buildKpis(dashboard: Dashboard | null): Kpi[] {
  if (!dashboard) return []
  const values: Record<string, unknown> = { ...derived(dashboard), ...dashboard }
  const known = Object.keys(KPI_REGISTRY)
  const keys = [...known, ...Object.keys(values).filter((k) => !(k in KPI_REGISTRY))]
  const cards: Kpi[] = []
  for (const key of keys) {
    if (key === 'role' || !(key in values)) continue
    const def = KPI_REGISTRY[key]
    const value = display(def, values[key])
    if (value === null) continue // sections (objects, lists) have their own widgets
    cards.push({
      key,
      testId: kpiTestId(key),
      label: def?.label ?? humanize(key),
      hint: def?.hint,
      value,
      to: def?.to,
      tone: def?.alarm && isPositive(values[key]) ? 'danger' : undefined,
    })
  }
  return cards
}

/** Sum of all statuses (0 when absent). */
export function totalOf(counts: StatusCounts | undefined): number {
  return counts ? Object.values(counts).reduce((t, n) => t + (Number(n) || 0), 0) : 0
}
