import { API_BASE, api, type RequestOptions } from './http'

export type SpendGroupBy = 'supplier' | 'department' | 'project' | 'category' | 'month'
export type ReportFormat = 'csv' | 'xlsx'
export type ReportParams = Record<string, string | number | undefined>

export interface Amounts {
  committed: string
  received: string
  invoiced: string
  paid: string
}

export interface SpendGroup extends Amounts {
  group_id: number | null
  label: string
  po_count: number
  share: string
  budget: string | null
  budget_remaining: string | null
}

export interface SpendMonth extends Amounts {
  month: string
  group_id: number | null
  label: string
}

export interface SpendReport {
  group_by: SpendGroupBy
  from: string | null
  to: string | null
  groups: SpendGroup[]
  by_month: SpendMonth[]
  totals: Amounts
}

export interface CycleRow {
  key_id: number
  label: string
  count: number
  median_hours: number | null
  p90_hours: number | null
  overdue: number
  escalations: number
  delegations: number
}

export interface OpenStep {
  document_id: number
  label: string
  waiting_hours: number
  overdue: boolean
  escalated: boolean
}

export interface CycleTimeReport {
  steps: CycleRow[]
  approvers: CycleRow[]
  slowest_open: OpenStep[]
}

export interface SupplierRow {
  supplier_id: number
  code: string
  name: string
  po_count: number
  spend: string
  receipts_rated: number
  on_time_rate: string | null
  lead_time_median_days: number | null
  quantity_accuracy: string | null
  return_rate: string | null
  price_variance_po: string | null
  price_variance_last: string | null
  invoice_count: number
  invoice_exception_rate: string | null
}

export interface SupplierPerformanceReport {
  suppliers: SupplierRow[]
}

/** Only the filters that are set: empty strings and nulls are left out of the query. */
export function cleanParams(params: ReportParams): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') out[key] = String(value)
  }
  return out
}

/** The same report as a file: the endpoint with `format=` (the session cookie authenticates). */
export function reportFileUrl(path: string, params: ReportParams, format: ReportFormat): string {
  const query = new URLSearchParams({ ...cleanParams(params), format })
  return `${API_BASE}/reports/${path}?${query.toString()}`
}

export async function getSpend(params: ReportParams, opts: RequestOptions = {}) {
  return (await api.get<{ spend: SpendReport }>('/reports/spend', cleanParams(params), opts)).spend
}

export async function getCycleTime(params: ReportParams, opts: RequestOptions = {}) {
  const path = '/reports/approval-cycle-time'
  return (await api.get<{ approval_cycle_time: CycleTimeReport }>(path, cleanParams(params), opts))
    .approval_cycle_time
}

export async function getSupplierPerformance(params: ReportParams, opts: RequestOptions = {}) {
  const path = '/reports/supplier-performance'
  const body = await api.get<{ supplier_performance: SupplierPerformanceReport }>(
    path,
    cleanParams(params),
    opts,
  )
  return body.supplier_performance
}

/** When the monthly spend report is e-mailed (day 1–28, hour UTC) and to whom ([] = every
 * active Procurement manager). Admin only. */
export interface ReportSchedule {
  day_of_month: number
  hour: number
  recipient_ids: number[]
  last_period: string | null
}

export type ReportScheduleBody = Omit<ReportSchedule, 'last_period'>

export async function getReportSchedule(opts: RequestOptions = {}): Promise<ReportSchedule> {
  return (await api.get<{ schedule: ReportSchedule }>('/reports/schedule', {}, opts)).schedule
}

export async function saveReportSchedule(
  body: ReportScheduleBody,
  opts: RequestOptions = {},
): Promise<ReportSchedule> {
  return (await api.put<{ schedule: ReportSchedule }>('/reports/schedule', body, opts)).schedule
}
