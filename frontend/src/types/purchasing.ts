import type { PageParams, Pagination } from './api'
import type { PersonRef } from './requisitions'
import type { components } from './openapi'

/** API payloads: generated from the OpenAPI document (`make api-types`). */
type Schemas = components['schemas']

export const PO_STATUSES = [
  'Draft',
  'Pending Approval',
  'Approved',
  'Sent',
  'Partially Received',
  'Received',
  'Closed',
  'Cancelled',
] as const
export type POStatus = (typeof PO_STATUSES)[number]

export type POAction = 'edit' | 'submit' | 'approve' | 'send' | 'cancel' | 'close' | 'return'

export interface SupplierRef {
  id: number
  code: string
  name: string
}

export interface SupplierSummary extends SupplierRef {
  contact_email: string | null
  contact_phone: string | null
  address: string | null
  payment_terms_days: number
}

export type PurchaseOrder = Schemas['PurchaseOrderRead']

export type POLine = Schemas['POLineRead']

export type PurchaseOrderDetail = Schemas['PurchaseOrderDetail']

export interface PurchaseOrderListParams extends PageParams {
  /** Comma-separated statuses. */
  status?: string
  supplier_id?: number | null
  /** POs with a line bought for a requisition of this project. */
  project_id?: number | null
  q?: string
  /** UTC ISO-8601 bounds on created_at. */
  from?: string
  to?: string
}

export interface PurchaseOrderFilterState {
  status: string
  supplier_id: number | null
  project_id: number | null
  q: string
  from: string
  to: string
  sort: string
}

export interface PurchaseOrderList {
  purchase_orders: PurchaseOrder[]
  pagination: Pagination
}

/** A line for POST/PUT: a queue line, an existing line (`id`, on edit) or a free line. */
export interface POLineBody {
  id?: number
  requisition_item_id?: number
  description?: string
  item_id?: number | null
  quantity?: string
  uom?: string
  unit_price?: string
}

export interface PurchaseOrderCreateBody {
  supplier_id: number
  lines: POLineBody[]
  tax_rate?: string
  delivery_address?: string | null
  expected_delivery_date?: string | null
  notes?: string | null
}

export interface PurchaseOrderUpdateBody {
  version: number
  lines?: POLineBody[]
  tax_rate?: string
  delivery_address?: string | null
  expected_delivery_date?: string | null
  notes?: string | null
}

export type POTransition = 'submit' | 'approve' | 'send' | 'cancel' | 'close' | 'return'

export interface POTransitionResult {
  purchase_order: PurchaseOrderDetail
  message: string
}

// ---- sourcing queue

export type SourcingStatus = 'Unsourced' | 'Quoting'

/** An approved requisition line that no purchase order covers yet. */
export interface QueueLine {
  requisition_item_id: number
  requisition_id: number
  req_number: string
  requester: PersonRef | null
  project: { id: number; code: string; name: string } | null
  line_no: number
  description: string
  item_id: number | null
  quantity: string
  uom: string
  estimated_unit_price: string
  line_total: string
  needed_by: string | null
  approved_at: string | null
  suggested_supplier: SupplierRef | null
  sourcing_status: SourcingStatus
  rfq_number: string | null
}

export interface QueueParams extends PageParams {
  q?: string
  project_id?: number | null
  supplier_id?: number | null
  sourcing_status?: SourcingStatus | ''
}

export interface QueueList {
  queue: QueueLine[]
  pagination: Pagination
}

// ---- requests for quotation

export const RFQ_STATUSES = ['Draft', 'Sent', 'Closed', 'Awarded', 'Cancelled'] as const
export type RfqStatus = (typeof RFQ_STATUSES)[number]
export type RfqAction = 'send' | 'quote' | 'close' | 'award' | 'cancel'

export interface Rfq {
  id: number
  rfq_number: string
  status: RfqStatus
  title: string
  due_date: string | null
  notes: string | null
  created_by: PersonRef | null
  line_count: number
  supplier_count: number
  version: number
  created_at: string
  updated_at: string
  /** Live attachments (list rows only; a detail shows the files). */
  attachment_count?: number
}

/** One supplier's quote for one line (all null when it has not quoted). */
export interface QuoteCell {
  supplier_id: number
  supplier_name: string
  quoted: boolean
  unit_price: string | null
  line_total: string | null
  lead_time_days: number | null
  valid_until: string | null
  notes: string | null
  expired: boolean
  cheapest: boolean
  fastest: boolean
  awarded: boolean
}

export interface ComparisonLine {
  id: number
  line_no: number
  requisition_item_id: number
  req_number: string | null
  description: string
  quantity: string
  uom: string
  awarded_supplier_id: number | null
  /** One cell per invited supplier, in the order of `suppliers`. */
  quotes: QuoteCell[]
}

export interface SupplierTotal {
  supplier_id: number
  supplier_name: string
  quoted_lines: number
  total: string
  max_lead_time_days: number | null
}

export interface POBrief {
  id: number
  po_number: string
  supplier_id: number
  status: POStatus
  total_amount: string
}

export interface RfqDetail extends Rfq {
  suppliers: SupplierRef[]
  lines: ComparisonLine[]
  supplier_totals: SupplierTotal[]
  purchase_orders: POBrief[]
  allowed_actions: RfqAction[]
}

export interface RfqListParams extends PageParams {
  status?: string
  q?: string
}

export interface RfqFilterState {
  status: string
  q: string
  sort: string
}

export interface RfqList {
  rfqs: Rfq[]
  pagination: Pagination
}

export interface RfqCreateBody {
  title: string
  due_date?: string | null
  notes?: string | null
  supplier_ids: number[]
  lines: { requisition_item_id: number }[]
  send?: boolean
}

export interface QuoteBody {
  rfq_line_id: number
  unit_price: string
  lead_time_days: number
  valid_until?: string | null
  notes?: string | null
}

export interface QuotesBody {
  supplier_id: number
  quotes: QuoteBody[]
  version?: number
}

export interface AwardBody {
  awards: { rfq_line_id: number; supplier_id: number }[]
  version?: number
}

export type RfqTransition = 'send' | 'close' | 'cancel'
