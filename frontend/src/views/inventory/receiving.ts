/**
 * Goods receipt form logic (SPEC §2.5): per PO line, what is still to come and what is
 * being received now. Quantities are exact decimals with 3 places; never a float.
 */
import type { POLine } from '@/types/purchasing'
import type { Condition, ReceiveBody } from '@/types/inventory'
import { compare, subtract } from '@/utils/money'
import { itemErrorsFrom, parseQuantity, type LineErrors } from '@/views/requisitions/lines'

export interface ReceiveRow {
  po_line_id: number
  line_no: number
  description: string
  uom: string
  ordered: string
  received: string
  remaining: string
  quantity: string
  condition: Condition
  location_id: number | null
}

/** The supplier's delivery note: its number and the day the goods arrived (YYYY-MM-DD). */
export interface DeliveryNote {
  number: string
  date: string | null
}

/** ordered − received, never below zero (3 places); the server's `quantity_open` when sent
 * (it adds returned goods the supplier is to replace). */
export function remainingOf(
  line: Pick<POLine, 'quantity' | 'quantity_received'> & Partial<Pick<POLine, 'quantity_open'>>,
): string {
  if (line.quantity_open !== undefined) return line.quantity_open
  const left = subtract(line.quantity, line.quantity_received || '0', 3)
  return compare(left, '0') > 0 ? left : '0.000'
}

/** One row per PO line, the quantity prefilled with what is still to come. */
export function rowsFromPoLines(lines: POLine[], locationId: number | null = null): ReceiveRow[] {
  return lines.map((line) => {
    const remaining = remainingOf(line)
    return {
      po_line_id: line.id,
      line_no: line.line_no,
      description: line.description,
      uom: line.uom,
      ordered: line.quantity,
      received: line.quantity_received || '0.000',
      remaining,
      quantity: compare(remaining, '0') > 0 ? remaining : '',
      condition: 'Good',
      location_id: locationId,
    }
  })
}

/** A row takes part when its quantity is not blank (a blank or zero row is skipped). */
function isReceiving(row: ReceiveRow): boolean {
  const text = row.quantity.trim()
  return text !== '' && !/^0*(\.0*)?$/.test(text)
}

/** Client checks, keyed by row index like the server's per-line errors. */
export function localReceiveErrors(rows: ReceiveRow[]): LineErrors {
  const out: LineErrors = {}
  rows.forEach((row, index) => {
    if (!isReceiving(row)) return
    const cell: Record<string, string> = {}
    if (parseQuantity(row.quantity) === null) cell.quantity = 'A number above 0'
    if (row.location_id === null) cell.location_id = 'Choose a location'
    if (Object.keys(cell).length) out[index] = cell
  })
  return out
}

/** The POST body and, for each body line, the row it came from (to place 422 messages). */
export function buildReceiveBody(
  poId: number,
  rows: ReceiveRow[],
  notes = '',
  delivery: DeliveryNote = { number: '', date: null },
): { body: ReceiveBody; rowOf: number[] } {
  const rowOf: number[] = []
  const lines: ReceiveBody['lines'] = []
  rows.forEach((row, index) => {
    if (!isReceiving(row)) return
    rowOf.push(index)
    lines.push({
      po_line_id: row.po_line_id,
      quantity: parseQuantity(row.quantity) ?? row.quantity.trim(),
      condition: row.condition,
      location_id: row.location_id ?? 0,
    })
  })
  const body: ReceiveBody = { po_id: poId, lines }
  if (notes.trim()) body.notes = notes.trim()
  if (delivery.number.trim()) body.delivery_note_number = delivery.number.trim()
  if (delivery.date) body.receipt_date = delivery.date
  return { body, rowOf }
}

/** The server's `details.lines` (keyed by body index) → messages keyed by table row. */
export function receiveErrorsFrom(
  detail: unknown,
  rowOf: number[],
): { rows: LineErrors; general: string } {
  const parsed = itemErrorsFrom(detail)
  const rows: LineErrors = {}
  for (const [key, cell] of Object.entries(parsed.rows)) {
    const row = rowOf[Number(key)]
    if (row !== undefined) rows[row] = cell
  }
  return { rows, general: parsed.general }
}
