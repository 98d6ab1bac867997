/** Awarding RFQ lines: the default choice per line and what the choice adds up to. */
import type { ComparisonLine, QuoteCell, RfqDetail } from '@/types/purchasing'
import { compare, sum } from '@/utils/money'

/** Quotes that can be awarded: quoted and still valid. */
export function awardable(line: ComparisonLine): QuoteCell[] {
  return line.quotes.filter((q) => q.quoted && !q.expired && q.unit_price !== null)
}

/**
 * The cheapest valid quote's supplier (a tie goes to the faster, then the first
 * listed); null when nobody quoted the line validly.
 */
export function defaultSupplier(line: ComparisonLine): number | null {
  let best: QuoteCell | null = null
  for (const cell of awardable(line)) {
    if (!best) {
      best = cell
      continue
    }
    const byPrice = compare(cell.unit_price ?? '0', best.unit_price ?? '0')
    const faster = (cell.lead_time_days ?? Infinity) < (best.lead_time_days ?? Infinity)
    if (byPrice < 0 || (byPrice === 0 && faster)) best = cell
  }
  return best?.supplier_id ?? null
}

/** Line id → supplier id (or null: not awarded) for every line still open. */
export function defaultAwards(rfq: Pick<RfqDetail, 'lines'>): Record<number, number | null> {
  const out: Record<number, number | null> = {}
  for (const line of rfq.lines) out[line.id] = defaultSupplier(line)
  return out
}

export interface AwardGroup {
  supplier_id: number
  supplier_name: string
  lines: number
  total: string
}

/** One group per supplier the choice awards to: the Draft POs the award will create. */
export function awardGroups(
  rfq: Pick<RfqDetail, 'lines' | 'suppliers'>,
  choices: Record<number, number | null>,
): AwardGroup[] {
  const groups = new Map<number, { name: string; totals: string[] }>()
  for (const line of rfq.lines) {
    const supplierId = choices[line.id]
    if (supplierId === null || supplierId === undefined) continue
    const cell = line.quotes.find((q) => q.supplier_id === supplierId && q.quoted)
    if (!cell) continue
    const group = groups.get(supplierId) ?? { name: cell.supplier_name, totals: [] }
    group.totals.push(cell.line_total ?? '0')
    groups.set(supplierId, group)
  }
  const order = rfq.suppliers.map((s) => s.id)
  return [...groups.entries()]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([id, g]) => ({
      supplier_id: id,
      supplier_name: g.name,
      lines: g.totals.length,
      total: sum(g.totals, 2),
    }))
}

/** Only the lines given a supplier, as the award request wants them. */
export function chosenAwards(choices: Record<number, number | null>): Record<number, number> {
  const out: Record<number, number> = {}
  for (const [line, supplier] of Object.entries(choices)) {
    if (supplier !== null && supplier !== undefined) out[Number(line)] = supplier
  }
  return out
}
