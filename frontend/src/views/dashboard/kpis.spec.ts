import { describe, expect, it } from 'vitest'
import type { Dashboard } from '@/types/dashboard'
import { buildKpis, humanize, kpiTestId, totalOf } from './kpis'

const statuses = (over: Record<string, number> = {}) => ({
  Draft: 0,
  Submitted: 0,
  'Under Review': 0,
  Approved: 0,
  Rejected: 0,
  Questioned: 0,
  Cancelled: 0,
  ...over,
})

describe('dashboard KPIs', () => {
  it("derives an engineer's open and draft counts from their statuses", () => {
    const dashboard: Dashboard = {
      role: 'Engineer',
      my_requisitions_by_status: statuses({
        Draft: 2,
        Submitted: 1,
        'Under Review': 3,
        Questioned: 1,
        Approved: 9,
      }),
      approvals_waiting: 1,
      approvals_overdue: 0,
    }
    const cards = buildKpis(dashboard)
    expect(cards.map((c) => [c.testId, c.value])).toEqual([
      ['kpi-my-open', '5'],
      ['kpi-my-drafts', '2'],
      ['kpi-approvals-waiting', '1'],
      ['kpi-approvals-overdue', '0'],
    ])
    expect(cards.find((c) => c.key === 'approvals_overdue')?.tone).toBeUndefined()
  })

  it("shows a buyer's purchasing work with links to the filtered lists", () => {
    const cards = buildKpis({
      role: 'ProcurementMgr',
      approvals_waiting: 0,
      sourcing_queue: 3,
      pos_draft: 2,
      pos_pending_approval: 1,
      pos_to_send: 0,
    })
    expect(cards.map((c) => [c.label, c.value])).toEqual([
      ['Approvals waiting', '0'],
      ['Lines to source', '3'],
      ['Draft POs', '2'],
      ['POs to approve', '1'],
      ['POs to send', '0'],
    ])
    expect(cards.find((c) => c.key === 'pos_pending_approval')?.to).toEqual({
      name: 'purchase-orders',
      query: { status: 'Pending Approval' },
    })
  })

  it('flags low stock in red only when some item is low', () => {
    expect(buildKpis({ role: 'Warehouse', low_stock_items: 4 })[0]?.tone).toBe('danger')
    expect(buildKpis({ role: 'Warehouse', low_stock_items: 0 })[0]?.tone).toBeUndefined()
  })

  it('flags overdue approvals', () => {
    const cards = buildKpis({ role: 'Procurement', approvals_waiting: 4, approvals_overdue: 2 })
    expect(cards.find((c) => c.key === 'approvals_overdue')?.tone).toBe('danger')
  })

  it('shows keys added by later modules as generic cards, known or not', () => {
    const cards = buildKpis({
      role: 'Warehouse',
      approvals_waiting: 0,
      approvals_overdue: 0,
      pos_awaiting_receipt: 3,
      stock_alerts_open: 12,
      low_stock_items: [{ sku: 'A' }],
      supplier_scores: { on_time: 90 },
    })
    expect(cards.map((c) => c.testId)).toEqual([
      'kpi-approvals-waiting',
      'kpi-approvals-overdue',
      'kpi-pos-awaiting-receipt',
      'kpi-stock-alerts-open',
    ])
    expect(cards.find((c) => c.key === 'pos_awaiting_receipt')?.label).toBe('POs awaiting receipt')
    expect(cards.find((c) => c.key === 'stock_alerts_open')?.label).toBe('Stock alerts open')
  })

  it('leaves out the role, sections and non-numbers', () => {
    const cards = buildKpis({
      role: 'Accountant',
      requisitions_by_status: statuses({ Approved: 1 }),
      approved_spend_by_month: [{ month: '2026-11', amount: '1.00' }],
      approvals_pending_total: 7,
      note: 'hello',
      broken: Number.NaN,
    })
    expect(cards.map((c) => c.key)).toEqual(['approvals_pending_total'])
  })

  it('shows nothing before data arrives', () => {
    expect(buildKpis(null)).toEqual([])
  })

  it('humanizes keys and makes stable test ids', () => {
    expect(humanize('invoices_due')).toBe('Invoices due')
    expect(humanize('openRfqs')).toBe('Open RFQs')
    expect(kpiTestId('approvals_waiting')).toBe('kpi-approvals-waiting')
  })

  it('totals status counts', () => {
    expect(totalOf(statuses({ Draft: 2, Approved: 3 }))).toBe(5)
    expect(totalOf(undefined)).toBe(0)
  })
})
