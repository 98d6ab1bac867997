/**
 * The requisition form's line items: exact totals (quantity 3 places, money 2,
 * half-up, like the server), the request body, and 422 details mapped to cells.
 */
import { compare, isValidDecimal, lineTotal, round, sum } from '@/utils/money'
import type { RequisitionItem, RequisitionItemBody } from '@/types/requisitions'

export const MAX_LINES = 50
export const QUANTITY_PLACES = 3
export const MONEY_PLACES = 2

/** One editable row; quantity and price stay the strings the user typed. */
export interface LineDraft {
  /** Stable key for v-for (rows get removed and reordered). */
  key: number
  description: string
  item_id: number | null
  quantity: string
  uom: string
  estimated_unit_price: string
  suggested_supplier_id: number | null
}

let nextKey = 1

export function blankLine(): LineDraft {
  return {
    key: nextKey++,
    description: '',
    item_id: null,
    quantity: '1',
    uom: 'EA',
    estimated_unit_price: '',
    suggested_supplier_id: null,
  }
}

export function lineFromItem(item: RequisitionItem): LineDraft {
  return {
    key: nextKey++,
    description: item.description,
    item_id: item.item_id,
    quantity: item.quantity,
    uom: item.uom,
    estimated_unit_price: item.estimated_unit_price,
    suggested_supplier_id: item.suggested_supplier_id,
  }
}

function clean(text: string | number | null | undefined): string {
  return String(text ?? '').trim()
}

/** The quantity rounded to 3 places, or null when it is not a number above zero. */
export function parseQuantity(text: string | number | null | undefined): string | null {
  const value = clean(text)
  if (!value || !isValidDecimal(value)) return null
  const rounded = round(value, QUANTITY_PLACES)
  return compare(rounded, '0') > 0 ? rounded : null
}

/** The unit price rounded to cents, or null when it is not a number of at least zero. */
export function parsePrice(text: string | number | null | undefined): string | null {
  const value = clean(text)
  if (!value || !isValidDecimal(value)) return null
  const rounded = round(value, MONEY_PLACES)
  return compare(rounded, '0') >= 0 ? rounded : null
}

/** round(round(qty, 3) × round(price, 2), 2), as the server stores it; null while incomplete. */
export function lineTotalOf(line: Pick<LineDraft, 'quantity' | 'estimated_unit_price'>) {
  const quantity = parseQuantity(line.quantity)
  const price = parsePrice(line.estimated_unit_price)
  return quantity === null || price === null ? null : lineTotal(quantity, price)
}

/** Sum of the complete lines' totals (incomplete lines count as zero). */
export function grandTotal(lines: Pick<LineDraft, 'quantity' | 'estimated_unit_price'>[]): string {
  return sum(
    lines.map((line) => lineTotalOf(line) ?? '0'),
    MONEY_PLACES,
  )
}

/** Tidies a typed value on blur: prices to cents, quantities to at most 3 places. */
export function tidyPrice(text: string): string {
  return parsePrice(text) ?? text
}

export function tidyQuantity(text: string): string {
  const value = clean(text)
  const decimals = value.split('.')[1]?.length ?? 0
  return decimals > QUANTITY_PLACES ? (parseQuantity(value) ?? text) : text
}

export function toItemBody(line: LineDraft): RequisitionItemBody {
  return {
    description: line.description.trim(),
    item_id: line.item_id,
    quantity: parseQuantity(line.quantity) ?? clean(line.quantity),
    uom: clean(line.uom).toUpperCase() || 'EA',
    estimated_unit_price: parsePrice(line.estimated_unit_price) ?? clean(line.estimated_unit_price),
    suggested_supplier_id: line.suggested_supplier_id,
  }
}

/** Client-side checks per row, in the same shape as the server's item errors. */
export function localLineErrors(lines: LineDraft[]): LineErrors {
  const out: LineErrors = {}
  lines.forEach((line, index) => {
    const row: Record<string, string> = {}
    if (!line.description.trim()) row.description = 'Required'
    if (parseQuantity(line.quantity) === null) row.quantity = 'A number above 0'
    if (parsePrice(line.estimated_unit_price) === null) {
      row.estimated_unit_price = 'A price of 0 or more'
    }
    if (Object.keys(row).length) out[index] = row
  })
  return out
}

/** Row index → field → message. */
export type LineErrors = Record<number, Record<string, string>>

function messagesOf(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(' ')
  if (typeof value === 'string') return value
  return value === null || value === undefined ? '' : JSON.stringify(value)
}

/**
 * Splits a 422 `items` detail into per-cell messages and a message for the whole
 * list: `{"0": {"quantity": ["…"]}}` → `{0: {quantity: "…"}}`; `["Give between 1 and 50 items."]`
 * → general.
 */
export function itemErrorsFrom(detail: unknown): { rows: LineErrors; general: string } {
  const rows: LineErrors = {}
  if (Array.isArray(detail) || typeof detail === 'string') {
    return { rows, general: messagesOf(detail) }
  }
  if (!detail || typeof detail !== 'object') return { rows, general: '' }
  const general: string[] = []
  for (const [key, value] of Object.entries(detail as Record<string, unknown>)) {
    const index = Number(key)
    if (!Number.isInteger(index) || index < 0) {
      general.push(messagesOf(value))
      continue
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      rows[index] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([f, m]) => [f, messagesOf(m)]),
      )
    } else {
      rows[index] = { _row: messagesOf(value) }
    }
  }
  return { rows, general: general.join(' ') }
}
