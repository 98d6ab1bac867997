import type { PageParams, Pagination } from './api'
import type { components } from './openapi'

/** API payloads: generated from the OpenAPI document (`make api-types`). */
type Schemas = components['schemas']

export const INVOICE_STATUSES = [
  'Received',
  'Matched',
  'Exception',
  'Approved',
  'Partially Paid',
  'Paid',
  'Void',
] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

export const PAYMENT_METHODS = ['Bank Transfer', 'Check', 'Card', 'Cash'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

export type InvoiceAction = 'approve' | 'rematch' | 'void' | 'pay'

export type MatchReason = Schemas['MatchReason']

export type InvoiceLine = Schemas['InvoiceLineRead']

export type PaymentRef = Schemas['PaymentRef']

export type Invoice = Schemas['InvoiceRead']

export type InvoiceDetail = Schemas['InvoiceDetail']

export interface InvoiceListParams extends PageParams {
  status?: string
  q?: string
  overdue?: boolean
}

export interface InvoiceFilterState {
  status: string
  q: string
  sort: string
}

export interface InvoiceList {
  invoices: Invoice[]
  pagination: Pagination
}

export interface InvoiceLineBody {
  po_line_id: number
  quantity: string
  unit_price: string
}

export interface InvoiceCreateBody {
  po_id: number
  invoice_number: string
  invoice_date: string
  due_date?: string | null
  /** The tax the supplier charged (2 decimals); left out, the PO's tax on the subtotal. */
  tax_amount?: string | null
  notes?: string | null
  lines: InvoiceLineBody[]
}

export interface PaymentCreateBody {
  invoice_id: number
  amount: string
  paid_on: string
  method: PaymentMethod
  reference?: string | null
}

export type Payment = Schemas['PaymentRead']

export interface AgingRow {
  supplier_id: number
  code: string
  name: string
  current: string
  days_1_30: string
  days_31_60: string
  days_61_90: string
  days_over_90: string
  total: string
  invoice_count: number
}

export type AgingTotals = Omit<AgingRow, 'supplier_id' | 'code' | 'name'>

export interface ApAging {
  as_of: string
  buckets: string[]
  suppliers: AgingRow[]
  totals: AgingTotals
}
