/** Defaults for ordering or quoting sourcing-queue lines. */
import type { QueueLine, SupplierRef } from '@/types/purchasing'
import { toApiDay } from '@/utils/format'

/** The supplier most of the lines suggest (first seen wins a tie); null when none does. */
export function suggestedSupplier(
  lines: Pick<QueueLine, 'suggested_supplier'>[],
): SupplierRef | null {
  const counts = new Map<number, { supplier: SupplierRef; n: number }>()
  for (const { suggested_supplier: s } of lines) {
    if (!s) continue
    const entry = counts.get(s.id)
    if (entry) entry.n++
    else counts.set(s.id, { supplier: s, n: 1 })
  }
  let best: { supplier: SupplierRef; n: number } | null = null
  for (const entry of counts.values()) if (!best || entry.n > best.n) best = entry
  return best?.supplier ?? null
}

/** Every distinct suggested supplier, in order of appearance. */
export function suggestedSuppliers(lines: Pick<QueueLine, 'suggested_supplier'>[]): SupplierRef[] {
  const seen = new Map<number, SupplierRef>()
  for (const { suggested_supplier: s } of lines) if (s && !seen.has(s.id)) seen.set(s.id, s)
  return [...seen.values()]
}

/** The earliest needed-by date that is not past (YYYY-MM-DD), as the server picks for Drafts. */
export function earliestNeededBy(
  lines: Pick<QueueLine, 'needed_by'>[],
  today: string = toApiDay(new Date()),
): string | null {
  const days = lines
    .map((l) => l.needed_by)
    .filter((d): d is string => !!d && d >= today)
    .sort()
  return days[0] ?? null
}

/** A day `n` days from today (YYYY-MM-DD). */
export function daysFromToday(n: number, from: Date = new Date()): string {
  const date = new Date(from.getFullYear(), from.getMonth(), from.getDate() + n)
  return toApiDay(date)
}

/** "RFQ for REQ-2026-00001, REQ-2026-00002" (at most 3 numbers, then "+ n more"). */
export function rfqTitle(lines: Pick<QueueLine, 'req_number'>[]): string {
  const numbers = [...new Set(lines.map((l) => l.req_number))]
  const shown = numbers.slice(0, 3).join(', ')
  const more = numbers.length > 3 ? ` + ${numbers.length - 3} more` : ''
  return numbers.length ? `Quotation for ${shown}${more}` : ''
}
