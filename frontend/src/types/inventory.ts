import type { PageParams, Pagination } from './api'
import type { components } from './openapi'

/** API payloads: generated from the OpenAPI document (`make api-types`). */
type Schemas = components['schemas']

export const CONDITIONS = ['Good', 'Damaged'] as const
export type Condition = (typeof CONDITIONS)[number]

export const RECEIPT_STATUSES = [
  'Pending Acceptance',
  'Accepted',
  'Partially Rejected',
  'Rejected',
] as const
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number]

export const STOCK_STATUSES = ['Pending Acceptance', 'Available'] as const
export type StockStatus = (typeof STOCK_STATUSES)[number]

export interface LocationRef {
  id: number
  code: string
  name: string
}

export interface StorageLocation extends LocationRef {
  /** 3 places, or null for unlimited. */
  capacity: string | null
  is_active: boolean
  version: number
  created_at?: string
  updated_at?: string
}

export interface LocationList {
  locations: StorageLocation[]
  pagination: Pagination
}

export interface LocationListParams extends PageParams {
  q?: string
  is_active?: boolean
}

export interface LocationCreateBody {
  code: string
  name: string
  capacity?: string | null
  is_active?: boolean
}

export type LocationUpdateBody = Partial<LocationCreateBody> & { version: number }

export interface ReceiptLineBody {
  po_line_id: number
  quantity: string
  condition: Condition
  location_id: number
}

export interface ReceiveBody {
  po_id: number
  notes?: string | null
  delivery_note_number?: string | null
  receipt_date?: string | null
  lines: ReceiptLineBody[]
}

export type ReceiptLine = Schemas['ReceiptLineRead']

export type Receipt = Schemas['ReceiptRead']

export type ReceiptAction = 'accept' | 'reject'

export type ReceiptDetail = Schemas['ReceiptDetail']

export interface ReceiptListParams extends PageParams {
  status?: string
  q?: string
  mine?: boolean
  po_id?: number | null
}

export interface ReceiptFilterState {
  status: string
  q: string
  mine: boolean
}

export interface ReceiptList {
  receipts: Receipt[]
  pagination: Pagination
}

export interface InventoryRow {
  id: number
  stock_key: string
  item_id: number | null
  po_line_id: number | null
  sku: string | null
  name: string
  description: string | null
  uom: string
  location: LocationRef | null
  status: StockStatus
  quantity: string
  reorder_level: string | null
  available_total: string | null
  low_stock: boolean
  updated_at: string
}

export interface InventoryParams extends PageParams {
  q?: string
  location?: string
  status?: string
  low_stock?: boolean
  item_id?: number
  location_id?: number
}

export interface InventoryFilterState {
  q: string
  location: string
  status: string
  low_stock: boolean
  /** One item only (the link of a low-stock notification). */
  item_id: number | null
}

export interface InventoryList {
  inventory: InventoryRow[]
  pagination: Pagination
}

/** PUT /inventory/{id}/location: move Available stock of the row to another location. */
export interface MoveStockBody {
  to_location_id: number
  quantity: string
  note?: string | null
}

/** The two rows a move changed, as the search lists them. */
export interface StockTransfer {
  from: InventoryRow
  to: InventoryRow
}

/** POST /inventory/adjustments: a signed change of a catalog item's Available stock. */
export interface AdjustStockBody {
  item_id: number
  location_id: number
  /** Signed, 3 places, never zero. */
  quantity: string
  reason: string
}

/** POST /inventory/issue: Available stock of a row leaves the store. */
export interface IssueStockBody {
  inventory_id: number
  quantity: string
  note?: string | null
}

export interface LowStockRow {
  item_id: number
  sku: string
  name: string
  uom: string
  reorder_level: string
  available: string
  shortfall: string
  preferred_supplier: { id: number; code: string; name: string } | null
  last_price: string | null
}

export interface LowStockList {
  low_stock: LowStockRow[]
  pagination: Pagination
}

export interface DecisionLine {
  line_id: number
  rejected_quantity: string
  reason: string | null
}

export type ReturnStatus = 'Pending' | 'Shipped Back' | 'Credited' | 'Replaced'

export interface SupplierReturnLine {
  id: number
  po_line_id: number
  line_no: number
  description: string
  uom: string
  quantity: string
  unit_price: string
  reason: string
}

/** A return to the supplier (RTV-…) raised by a rejection at acceptance. */
export interface SupplierReturn {
  id: number
  rtv_number: string
  po_id: number
  po_number: string
  receipt_id: number
  grn_number: string
  status: ReturnStatus
  created_at: string
  shipped_at: string | null
  settled_at: string | null
  credit_note_number: string | null
  credit_amount: string | null
  credited_invoice_id: number | null
  lines: SupplierReturnLine[]
  allowed_actions: ('ship' | 'replace' | 'credit')[]
  version: number
}
