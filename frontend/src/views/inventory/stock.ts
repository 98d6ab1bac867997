/**
 * Stock movement rules for the Warehouse (SPEC §2.5): what a row allows, and the client checks
 * of the move, adjust and issue dialogs. Quantities are exact decimals with 3 places, held as
 * strings; never a float. The server checks all of it again (and refuses a balance below zero).
 */
import { statusLabel } from '@/i18n'
import type { InventoryRow } from '@/types/inventory'
import { formatQuantity } from '@/utils/format'
import { add, compare, isValidDecimal, round, subtract } from '@/utils/money'
import { QUANTITY_PLACES, parseQuantity } from '@/views/requisitions/lines'

/** The largest balance the ledger holds: NUMERIC(12, 3). */
export const MAX_QUANTITY = '999999999.999'

export type StockAction = 'move' | 'adjust' | 'issue'

/** Stock that can be moved or issued: Available, with something on hand. */
export function hasAvailable(row: Pick<InventoryRow, 'status' | 'quantity'>): boolean {
  return (
    row.status === 'Available' && isValidDecimal(row.quantity) && compare(row.quantity, '0') > 0
  )
}

/**
 * Which actions a stock row allows. Adjustments correct the Available stock of a catalog item
 * at a location; goods without a catalog item (a free-text PO line) cannot be adjusted.
 */
export function rowActions(row: InventoryRow): Record<StockAction, boolean> {
  const available = hasAvailable(row)
  return {
    move: available,
    issue: available,
    adjust: row.status === 'Available' && row.item_id !== null,
  }
}

/** Why an action is not offered on a row, for the disabled button's title. */
export function actionHint(row: InventoryRow, action: StockAction): string {
  if (rowActions(row)[action]) return ''
  if (row.status !== 'Available')
    return `${statusLabel('stock', row.status)} stock waits for its requester`
  if (action === 'adjust') return 'Only catalog items can be adjusted'
  return 'Nothing on hand here'
}

export type Checked = { ok: true; quantity: string } | { ok: false; error: string }

/** A quantity leaving a row (move, issue): above 0 and at most what is on hand. */
export function checkOutgoing(text: string, onHand: string): Checked {
  const quantity = parseQuantity(text)
  if (quantity === null) return { ok: false, error: 'Enter a quantity above 0' }
  if (compare(quantity, onHand) > 0) {
    return { ok: false, error: `At most the ${formatQuantity(onHand)} available here` }
  }
  return { ok: true, quantity }
}

/** A signed quantity rounded to 3 places, or null when blank, not a number or zero. */
export function parseChange(text: string | null | undefined): string | null {
  const value = String(text ?? '').trim()
  if (!value || !isValidDecimal(value)) return null
  const rounded = round(value, QUANTITY_PLACES)
  return compare(rounded, '0') === 0 ? null : rounded
}

/** On hand after a signed change, or null while the change is not a number. */
export function onHandAfter(onHand: string, changeText: string): string | null {
  const change = parseChange(changeText)
  return change === null ? null : add(onHand, change, QUANTITY_PLACES)
}

/** The signed change that brings `onHand` to the counted quantity; null when not a count. */
export function changeForCount(onHand: string, countedText: string): string | null {
  const value = String(countedText ?? '').trim()
  if (!value || !isValidDecimal(value)) return null
  const counted = round(value, QUANTITY_PLACES)
  if (compare(counted, '0') < 0) return null
  return subtract(counted, onHand, QUANTITY_PLACES)
}

/** An adjustment: a non-zero signed change that keeps the balance between 0 and the maximum. */
export function checkAdjustment(changeText: string, onHand: string): Checked {
  const change = parseChange(changeText)
  if (change === null) return { ok: false, error: 'Enter a change other than 0, like 5 or -2' }
  const after = add(onHand, change, QUANTITY_PLACES)
  if (compare(after, '0') < 0) {
    return {
      ok: false,
      error: `Cannot remove more than the ${formatQuantity(onHand)} on hand`,
    }
  }
  if (compare(after, MAX_QUANTITY) > 0) {
    return { ok: false, error: `A location holds at most ${MAX_QUANTITY}` }
  }
  return { ok: true, quantity: change }
}

/** A change with its sign always written: "+5.000", "-2.000". */
export function signed(change: string): string {
  return change.startsWith('-') ? change : `+${change}`
}
