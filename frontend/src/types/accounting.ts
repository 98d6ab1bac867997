import type { PageParams, Pagination } from './api'
import type { SupplierRef } from './purchasing'
import type { PersonRef } from './requisitions'

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

export interface MatchReason {
  code: string
  message: string
  expected: string
  actual: string
}

export interface InvoiceLine {
  id: number
  line_no: number
  po_line_id: number
  description: string
  quantity: string
  unit_price: string
  line_total: string
  po_unit_price: string
  matched: boolean
  match_reasons: MatchReason[]
}

export interface PaymentRef {
  id: number
  payment_number: string
  amount: string
  paid_on: string
  method: PaymentMethod
  reference: string | null
}

export interface Invoice {
  id: number
  inv_number: string
  invoice_number: string
  supplier_id: number
  supplier: SupplierRef | null
  po_id: number
  po_number: string
  status: InvoiceStatus
  invoice_date: string
  due_date: string
  subtotal: string
  tax_amount: string
  /** The PO's tax on this invoice's subtotal; the charged tax is matched against it. */
  expected_tax_amount: string | null
  total_amount: string
  amount_paid: string
  balance_due: string
  recorded_by: PersonRef | null
  recorded_by_id: number
  approved_by: PersonRef | null
  approved_by_id: number | null
  approved_at: string | null
  matched_at: string | null
  override_reason: string | null
  paid_at: string | null
  voided_at: string | null
  void_reason: string | null
  notes: string | null
  version: number
  created_at: string
  updated_at: string
  /** Live attachments (list rows only; a detail shows the files). */
  attachment_count?: number
}

export interface InvoiceDetail extends Invoice {
  lines: InvoiceLine[]
  /** Invoice-level mismatches (TAX_MISMATCH), beside each line's. */
  match_reasons: MatchReason[]
  payments: PaymentRef[]
  allowed_actions: InvoiceAction[]
}

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

export interface Payment {
  id: number
  payment_number: string
  invoice_id: number
  inv_number: string
  invoice_status: InvoiceStatus
  supplier_id: number
  supplier: SupplierRef | null
  amount: string
  paid_on: string
  method: PaymentMethod
  reference: string | null
  recorded_by: PersonRef | null
}

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
