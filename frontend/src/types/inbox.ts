import type { Pagination } from './api'

export type InboxType = 'requisition' | 'purchase_order' | 'invoice' | 'acceptance'

export const INBOX_TYPES: { value: InboxType; label: string }[] = [
  { value: 'requisition', label: 'Requisitions' },
  { value: 'purchase_order', label: 'Purchase orders' },
  { value: 'invoice', label: 'Invoices' },
  { value: 'acceptance', label: 'Goods to accept' },
]

/** The documents whose status changes move items in or out of the inbox. */
export const INBOX_RESOURCES: ReadonlySet<string> = new Set([
  'requisition',
  'purchase_order',
  'invoice',
  'goods_receipt',
])

export interface InboxPreviewLine {
  line_id?: number | null
  description: string
  quantity: string
  uom: string
  unit_price: string | null
}

/** One decision waiting for me, from whichever document holds it. */
export interface InboxEntry {
  key: string
  type: InboxType
  document_id: number
  document_number: string
  title: string
  status: string
  amount: string | null
  party: string | null
  waiting_since: string | null
  due_at: string | null
  overdue: boolean
  due_soon: boolean
  link: string
  actions: string[]
  lines: InboxPreviewLine[]
}

export interface InboxPage {
  items: InboxEntry[]
  counts: Partial<Record<InboxType, number>>
  pagination: Pagination
}

export interface BulkResult {
  type: InboxType
  document_id: number
  ok: boolean
  status: string | null
  error: { code: string; message: string; http_status: number } | null
}
