/**
 * Purchase-order money, exactly as the server computes it (SPEC §2.4): line total =
 * round(round(qty, 3) × round(price, 2), 2); subtotal = Σ line totals; tax =
 * round(subtotal × round(rate, 4), 2) half-up; total = subtotal + tax. Never a float.
 */
import {
  add,
  compare,
  formatScaled,
  isValidDecimal,
  multiply,
  parseDecimal,
  round,
  sum,
} from '@/utils/money'
import { parsePrice, parseQuantity } from '@/views/requisitions/lines'

export { parsePrice, parseQuantity }

export const RATE_PLACES = 4

export interface PriceLine {
  quantity: string | number | null | undefined
  unit_price: string | number | null | undefined
}

export interface POTotals {
  subtotal: string
  tax: string
  total: string
}

/** A line's total, or null while its quantity or price is not valid. */
export function poLineTotal(line: PriceLine): string | null {
  const quantity = parseQuantity(line.quantity)
  const price = parsePrice(line.unit_price)
  return quantity === null || price === null ? null : multiply(quantity, price, 2)
}

/** The tax rate as a fraction with 4 places, or null unless 0 ≤ rate ≤ 1. */
export function parseRate(text: string | number | null | undefined): string | null {
  const value = String(text ?? '').trim()
  if (!value || !isValidDecimal(value)) return null
  const rate = round(value, RATE_PLACES)
  return compare(rate, '0') >= 0 && compare(rate, '1') <= 0 ? rate : null
}

/** Tax on a subtotal: round(subtotal × rate, 2), half-up. */
export function taxOf(subtotal: string, rate: string): string {
  return multiply(subtotal, round(rate, RATE_PLACES), 2)
}

/** Subtotal, tax and total; incomplete lines count as zero, an invalid rate as zero. */
export function poTotals(lines: PriceLine[], rate: string | null): POTotals {
  const subtotal = sum(
    lines.map((line) => poLineTotal(line) ?? '0'),
    2,
  )
  const tax = rate === null ? '0.00' : taxOf(subtotal, rate)
  return { subtotal, tax, total: add(subtotal, tax, 2) }
}

/** Drops trailing zeros: "5.00" → "5", "7.50" → "7.5". */
function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}

/** "0.0500" → "5", "0.0725" → "7.25" (for a percentage input). */
export function rateToPercent(rate: string | number | null | undefined): string {
  if (rate === null || rate === undefined || !isValidDecimal(rate)) return ''
  const { units, scale } = parseDecimal(rate)
  // × 100 exactly: the same digits, two fewer decimal places.
  const shifted =
    scale >= 2 ? formatScaled(units, scale - 2) : formatScaled(units * 10n ** BigInt(2 - scale), 0)
  return trim(shifted)
}

/** "7.25" (percent) → "0.0725"; null unless 0 ≤ percent ≤ 100. */
export function percentToRate(percent: string | number | null | undefined): string | null {
  const value = String(percent ?? '')
    .trim()
    .replace(/%$/, '')
    .trim()
  if (!value || !isValidDecimal(value)) return null
  // Exact (the product has the input's places + 2), rounded once by parseRate.
  return parseRate(multiply(value, '0.01', parseDecimal(value).scale + 2))
}
