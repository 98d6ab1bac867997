/** The "Record quote" form: one row per RFQ line for one supplier; blank rows are skipped. */
import type { QuoteBody, RfqDetail } from '@/types/purchasing'
import { parsePrice } from './totals'

export interface QuoteRow {
  rfq_line_id: number
  line_no: number
  description: string
  quantity: string
  uom: string
  unit_price: string
  lead_time_days: string
}

export const MAX_LEAD_DAYS = 3650

/** Rows prefilled with what the supplier already quoted (to correct a quote). */
export function quoteRows(rfq: Pick<RfqDetail, 'lines'>, supplierId: number): QuoteRow[] {
  return rfq.lines.map((line) => {
    const cell = line.quotes.find((q) => q.supplier_id === supplierId && q.quoted)
    return {
      rfq_line_id: line.id,
      line_no: line.line_no,
      description: line.description,
      quantity: line.quantity,
      uom: line.uom,
      unit_price: cell?.unit_price ?? '',
      lead_time_days: cell?.lead_time_days === null || !cell ? '' : String(cell.lead_time_days),
    }
  })
}

/** Whole days from 0 to 3650, or null. */
export function parseLeadTime(text: string | number | null | undefined): number | null {
  const value = String(text ?? '').trim()
  if (!/^\d+$/.test(value)) return null
  const days = Number(value)
  return days <= MAX_LEAD_DAYS ? days : null
}

export interface QuoteForm {
  quotes: QuoteBody[]
  /** Row index → field → message. */
  errors: Record<number, Record<string, string>>
  /** quotes[i] came from rows[rowOf[i]] (to put server messages on the right row). */
  rowOf: number[]
}

/** The request body; a row with neither price nor lead time is not quoted. */
export function quoteForm(
  rows: QuoteRow[],
  extra: { valid_until?: string | null; notes?: string | null } = {},
): QuoteForm {
  const out: QuoteForm = { quotes: [], errors: {}, rowOf: [] }
  rows.forEach((row, index) => {
    const priceText = row.unit_price.trim()
    const leadText = row.lead_time_days.trim()
    if (!priceText && !leadText) return
    const price = parsePrice(priceText)
    const lead = parseLeadTime(leadText)
    const cell: Record<string, string> = {}
    if (price === null) cell.unit_price = 'A price of 0 or more'
    if (lead === null) cell.lead_time_days = `Whole days, 0 to ${MAX_LEAD_DAYS}`
    if (Object.keys(cell).length || price === null || lead === null) {
      out.errors[index] = cell
      return
    }
    out.quotes.push({
      rfq_line_id: row.rfq_line_id,
      unit_price: price,
      lead_time_days: lead,
      valid_until: extra.valid_until || null,
      notes: extra.notes?.trim() || null,
    })
    out.rowOf.push(index)
  })
  return out
}
