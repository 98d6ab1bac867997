/**
 * Invoice form logic (SPEC §2.6): lines prefilled from the PO, live totals computed
 * exactly like the server (line total = qty × price to cents; tax = round(subtotal ×
 * PO tax rate, 2) half-up; total = subtotal + tax).
 */
import type { Invoice, InvoiceCreateBody, MatchReason } from '@/types/accounting'
import type { POLine } from '@/types/purchasing'
import { formatAmount, formatQuantity } from '@/utils/format'
import { add, compare, isValidDecimal, subtract } from '@/utils/money'
import {
  parsePrice,
  parseQuantity,
  poLineTotal,
  poTotals,
  type POTotals,
} from '@/views/purchasing/totals'
import type { LineErrors } from '@/views/requisitions/lines'

export interface InvoiceRow {
  po_line_id: number
  line_no: number
  description: string
  uom: string
  ordered: string
  received: string
  po_unit_price: string
  quantity: string
  unit_price: string
}

export function rowsFromPo(lines: POLine[]): InvoiceRow[] {
  return lines.map((line) => ({
    po_line_id: line.id,
    line_no: line.line_no,
    description: line.description,
    uom: line.uom,
    ordered: line.quantity,
    // net of goods returned to the supplier: what the three-way match counts
    received: line.quantity_net || line.quantity_received || '0.000',
    po_unit_price: line.unit_price,
    quantity: line.quantity,
    unit_price: line.unit_price,
  }))
}

function isBlank(text: string): boolean {
  const value = text.trim()
  return value === '' || /^0*(\.0*)?$/.test(value)
}

/** Rows with a quantity are invoiced; a blank or zero quantity leaves the line out. */
export function invoicedRows(rows: InvoiceRow[]): InvoiceRow[] {
  return rows.filter((row) => !isBlank(row.quantity))
}

export function rowTotal(row: InvoiceRow): string | null {
  return poLineTotal(row)
}

export function invoiceTotals(rows: InvoiceRow[], taxRate: string | null): POTotals {
  return poTotals(invoicedRows(rows), taxRate)
}

/** A hint (not a block: the server decides) when a row would not match. */
export function rowWarning(row: InvoiceRow): string {
  const quantity = parseQuantity(row.quantity)
  if (quantity !== null && compare(quantity, row.received) > 0) {
    return `More than received (${row.received})`
  }
  const price = parsePrice(row.unit_price)
  if (price !== null && compare(price, row.po_unit_price) !== 0) {
    const diff = subtract(price, row.po_unit_price, 2)
    return `Differs from PO price by ${diff}`
  }
  return ''
}

export function localInvoiceErrors(rows: InvoiceRow[]): LineErrors {
  const out: LineErrors = {}
  rows.forEach((row, index) => {
    if (isBlank(row.quantity)) return
    const cell: Record<string, string> = {}
    if (parseQuantity(row.quantity) === null) cell.quantity = 'A number above 0'
    if (parsePrice(row.unit_price) === null) cell.unit_price = 'A price of 0 or more'
    if (Object.keys(cell).length) out[index] = cell
  })
  return out
}

export interface InvoiceHeader {
  po_id: number
  invoice_number: string
  invoice_date: string
  due_date: string
  notes: string
  /** The tax the supplier charged; blank takes the PO's tax. */
  tax_amount?: string
}

/** The charged tax as sent (exactly as typed, at most 2 decimals, not negative), '' when
 * blank, or null when it is not such an amount (a third decimal is refused, not rounded). */
export function parseTax(text: string | null | undefined): string | null {
  const value = (text ?? '').trim()
  if (!value) return ''
  if (!isValidDecimal(value) || !/^\d+(\.\d{1,2})?$/.test(value)) return null
  return value
}

/** The totals with the supplier's tax when one is given: what the invoice will record. */
export function chargedTotals(totals: POTotals, taxText: string | undefined): POTotals {
  const tax = parseTax(taxText)
  if (!tax) return totals
  return { ...totals, tax: add(tax, '0', 2), total: add(totals.subtotal, tax, 2) }
}

export function buildInvoiceBody(
  header: InvoiceHeader,
  rows: InvoiceRow[],
): { body: InvoiceCreateBody; rowOf: number[] } {
  const rowOf: number[] = []
  const lines: InvoiceCreateBody['lines'] = []
  rows.forEach((row, index) => {
    if (isBlank(row.quantity)) return
    rowOf.push(index)
    lines.push({
      po_line_id: row.po_line_id,
      quantity: parseQuantity(row.quantity) ?? row.quantity.trim(),
      unit_price: parsePrice(row.unit_price) ?? row.unit_price.trim(),
    })
  })
  const body: InvoiceCreateBody = {
    po_id: header.po_id,
    invoice_number: header.invoice_number.trim(),
    invoice_date: header.invoice_date,
    lines,
  }
  if (header.due_date) body.due_date = header.due_date
  if (header.notes.trim()) body.notes = header.notes.trim()
  const tax = parseTax(header.tax_amount)
  if (tax) body.tax_amount = tax
  else if (tax === null) body.tax_amount = (header.tax_amount ?? '').trim()
  return { body, rowOf }
}

/** Why the Pay or Approve button is missing for this user, or '' when nothing needs saying
 * (SPEC: nobody pays an invoice they approved, nobody approves one they recorded). */
export function missingActionNote(
  invoice: Pick<Invoice, 'status' | 'approved_by_id' | 'recorded_by_id'> & {
    allowed_actions: string[]
  },
  userId: number | null,
  can: (permission: string) => boolean,
): string {
  const payable = invoice.status === 'Approved' || invoice.status === 'Partially Paid'
  if (payable && !invoice.allowed_actions.includes('pay')) {
    if (!can('payment:process')) {
      return 'Payments are recorded by Accountants with the payment permission; you can view this invoice only.'
    }
    if (userId !== null && invoice.approved_by_id === userId) {
      return 'You approved this invoice, so another Accountant records its payment (nobody pays an invoice they approved).'
    }
  }
  const approvable = invoice.status === 'Matched' || invoice.status === 'Exception'
  if (
    approvable &&
    !invoice.allowed_actions.includes('approve') &&
    can('accounting:manage') &&
    userId !== null &&
    invoice.recorded_by_id === userId
  ) {
    return 'You recorded this invoice, so another Accountant approves it (nobody approves an invoice they recorded).'
  }
  return ''
}

/** A match reason's expected and actual figures as the reader writes them: quantities or money. */
export function reasonFigures(reason: Pick<MatchReason, 'code' | 'expected' | 'actual'>): {
  expected: string
  actual: string
} {
  const format = reason.code.startsWith('QTY_') ? formatQuantity : formatAmount
  return { expected: format(reason.expected), actual: format(reason.actual) }
}
