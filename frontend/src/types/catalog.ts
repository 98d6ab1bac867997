import type { PageParams, Pagination } from './api'

export interface Supplier {
  id: number
  code: string
  name: string
  contact_email: string | null
  contact_phone: string | null
  address: string | null
  tax_id: string | null
  payment_terms_days: number
  is_active: boolean
  version: number
  created_at?: string
  updated_at?: string
}

export interface SupplierBody {
  code: string
  name: string
  contact_email: string | null
  contact_phone: string | null
  address: string | null
  tax_id: string | null
  payment_terms_days: number
}

export interface SupplierListParams extends PageParams {
  q?: string
  is_active?: boolean | ''
  include_inactive?: boolean
}

export interface SupplierList {
  suppliers: Supplier[]
  pagination: Pagination
}

export interface Item {
  id: number
  sku: string
  name: string
  description: string | null
  uom: string
  category: string | null
  /** Decimal string, 3 places. */
  reorder_level: string
  preferred_supplier_id: number | null
  preferred_supplier?: { id: number; code: string; name: string } | null
  /** Decimal string, 2 places. */
  last_price: string | null
  is_active: boolean
  version: number
  created_at?: string
  updated_at?: string
}

export interface ItemBody {
  sku: string
  name: string
  description: string | null
  uom: string
  category: string | null
  reorder_level: string
  preferred_supplier_id: number | null
  last_price: string | null
}

export interface ItemListParams extends PageParams {
  q?: string
  category?: string
  preferred_supplier_id?: number | ''
  is_active?: boolean | ''
  include_inactive?: boolean
}

export interface ItemList {
  items: Item[]
  pagination: Pagination
}
