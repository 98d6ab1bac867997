import type { Role } from './identity'

/** Requisition counts per status, every status present (zeros included). */
export type StatusCounts = Record<string, number>

export interface SpendMonth {
  /** YYYY-MM */
  month: string
  /** A decimal string ("1234.50"): money, never a float. */
  amount: string
}

/**
 * GET /dashboard: the sections the caller's role qualifies for. Each one is
 * optional, and modules add keys over time (`pos_awaiting_receipt`, …): unknown
 * numeric keys still show as KPI cards.
 */
export interface Dashboard {
  role: Role
  my_requisitions_by_status?: StatusCounts
  approvals_waiting?: number
  approvals_overdue?: number
  requisitions_by_status?: StatusCounts
  approved_spend_by_month?: SpendMonth[]
  approvals_pending_total?: number
  [key: string]: unknown
}
