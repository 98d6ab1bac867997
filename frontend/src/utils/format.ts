import { codeLabel } from '@/i18n'
import { formatMoney, groupDigits, isValidDecimal, round } from './money'

/** A role's label, from the one dictionary of code labels (i18n). */
export function roleLabel(role: string | null | undefined): string {
  return codeLabel('role', role)
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

/** UTC ISO-8601 from the API → the reader's local date and time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date)
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date)
}

/** Date → UTC ISO-8601 with `Z` and whole seconds, as the API writes times. */
export function toApiTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * A date picker's range of whole local days → the API's `from` / `to` (UTC, from the first
 * day's start to the last day's end); both empty once the range is cleared.
 */
export function dayRangeBounds(range: [Date, Date] | null): { from: string; to: string } {
  if (!range) return { from: '', to: '' }
  const [start, end] = range
  const from = new Date(start.getFullYear(), start.getMonth(), start.getDate())
  const to = new Date(end.getFullYear(), end.getMonth(), end.getDate(), 23, 59, 59)
  return { from: toApiTime(from), to: toApiTime(to) }
}

export function prettyJson(value: unknown): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)
}

/**
 * The one way an amount is shown: the base currency, the reader's grouping, always 2 places
 * ("1234.5" → "$1,234.50"); never through a float; "—" when there is none.
 */
export function formatAmount(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '' || !isValidDecimal(value)) return '—'
  return formatMoney(value)
}

/** Units counted or measured to fixed places: their quantities keep that many decimals. */
export const UNIT_PLACES: Record<string, number> = { H: 2, HR: 2, HRS: 2, HOUR: 2 }

/**
 * A quantity as people write it: grouped, no trailing zeros ("20.000" → "20", "2.500" → "2.5"),
 * except for a unit that needs fixed places (hours: "1.50 HR"); the unit follows when given.
 */
export function formatQuantity(
  value: string | number | null | undefined,
  uom?: string | null,
  locale?: string,
): string {
  if (value === null || value === undefined || value === '' || !isValidDecimal(value)) return '—'
  const places = uom ? UNIT_PLACES[uom.toUpperCase()] : undefined
  let text = round(value, places ?? 3)
  if (places === undefined) text = text.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
  const negative = text.startsWith('-')
  const [intPart = '0', frac] = (negative ? text.slice(1) : text).split('.')
  const decimal =
    new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.'
  const number = `${negative ? '-' : ''}${groupDigits(intPart, locale)}${frac ? decimal + frac : ''}`
  return uom ? `${number} ${uom}` : number
}

/** YYYY-MM-DD (a calendar date, no time zone) → the reader's date format. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—'
  const [y, m, d] = day.split('-').map(Number)
  if (!y || !m || !d) return day
  return dateOnly.format(new Date(y, m - 1, d))
}

/** A local calendar day as YYYY-MM-DD (for date-only API fields). */
export function toApiDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
