/**
 * Exact decimal arithmetic for money and quantities. Values travel as decimal
 * strings ("1234.50", SPEC §2); they are held here as BigInt integers scaled by
 * 10^scale, so no float ever touches an amount. Rounding is half-up (away from
 * zero on ties), like the server's ROUND_HALF_UP.
 */
export type DecimalInput = string | number | bigint

interface Scaled {
  units: bigint
  scale: number
}

const PATTERN = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i

function pow10(n: number): bigint {
  return 10n ** BigInt(n)
}

export function parseDecimal(input: DecimalInput): Scaled {
  if (typeof input === 'bigint') return { units: input, scale: 0 }
  if (typeof input === 'number' && !Number.isFinite(input)) {
    throw new RangeError(`Not a finite number: ${input}`)
  }
  const text = String(input).trim().replace(/,/g, '')
  const match = PATTERN.exec(text)
  if (!match || (!match[2] && !match[3])) throw new RangeError(`Not a decimal: "${input}"`)
  const [, sign, intPart = '', fracPart = '', expPart] = match
  let digits = BigInt((intPart || '0') + fracPart)
  let scale = fracPart.length - Number(expPart ?? 0)
  if (scale < 0) {
    digits *= pow10(-scale)
    scale = 0
  }
  return { units: sign === '-' ? -digits : digits, scale }
}

function rescale(value: Scaled, scale: number): bigint {
  if (scale >= value.scale) return value.units * pow10(scale - value.scale)
  const divisor = pow10(value.scale - scale)
  const negative = value.units < 0n
  const abs = negative ? -value.units : value.units
  let quotient = abs / divisor
  if ((abs % divisor) * 2n >= divisor) quotient += 1n
  return negative ? -quotient : quotient
}

export function formatScaled(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const intPart = digits.slice(0, digits.length - scale)
  const frac = scale > 0 ? '.' + digits.slice(digits.length - scale) : ''
  return (negative && units !== 0n ? '-' : '') + intPart + frac
}

/** Rounds half-up to `scale` places: round("2.345") → "2.35", round("-2.345") → "-2.35". */
export function round(value: DecimalInput, scale = 2): string {
  return formatScaled(rescale(parseDecimal(value), scale), scale)
}

/** Exact sum of any number of values, rounded half-up to `scale` places. */
export function add(a: DecimalInput, b: DecimalInput, scale = 2): string {
  return sum([a, b], scale)
}

export function sum(values: DecimalInput[], scale = 2): string {
  const parsed = values.map(parseDecimal)
  const common = Math.max(scale, ...parsed.map((p) => p.scale))
  const total = parsed.reduce((acc, p) => acc + rescale(p, common), 0n)
  return formatScaled(rescale({ units: total, scale: common }, scale), scale)
}

export function subtract(a: DecimalInput, b: DecimalInput, scale = 2): string {
  const right = parseDecimal(b)
  return sum([a, formatScaled(-right.units, right.scale)], scale)
}

/** Exact product, rounded once at the end: multiply("3", "19.99") → "59.97". */
export function multiply(a: DecimalInput, b: DecimalInput, scale = 2): string {
  const x = parseDecimal(a)
  const y = parseDecimal(b)
  return formatScaled(rescale({ units: x.units * y.units, scale: x.scale + y.scale }, scale), scale)
}

/** Line total = quantity × unit price, to cents. */
export function lineTotal(quantity: DecimalInput, unitPrice: DecimalInput): string {
  return multiply(quantity, unitPrice, 2)
}

/** -1, 0 or 1. */
export function compare(a: DecimalInput, b: DecimalInput): -1 | 0 | 1 {
  const x = parseDecimal(a)
  const y = parseDecimal(b)
  const scale = Math.max(x.scale, y.scale)
  const diff = rescale(x, scale) - rescale(y, scale)
  return diff === 0n ? 0 : diff < 0n ? -1 : 1
}

export function isValidDecimal(value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false
  try {
    parseDecimal(value)
    return true
  } catch {
    return false
  }
}

let baseCurrency = 'USD'

/** The currency of every amount (BASE_CURRENCY, from /auth/me as `currency`). */
export function setBaseCurrency(code: string | null | undefined): void {
  if (code && /^[A-Z]{3}$/.test(code)) baseCurrency = code
}

export function getBaseCurrency(): string {
  return baseCurrency
}

/** Integer digits grouped by threes with the locale's separator ("1234567" → "1,234,567"). */
export function groupDigits(digits: string, locale?: string): string {
  const group =
    new Intl.NumberFormat(locale).formatToParts(1000000).find((p) => p.type === 'group')?.value ??
    ','
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, group)
}

/**
 * "1234.5" → "$1,234.50" (en-US) or "1.234,50 €" (de-DE): the locale's symbol, position and
 * separators around the exact digits, always 2 decimals; the value never goes through a float.
 */
export function formatMoney(value: DecimalInput, currency?: string, locale?: string): string {
  const fixed = round(value, 2)
  const negative = fixed.startsWith('-')
  const [intPart = '0', frac = '00'] = (negative ? fixed.slice(1) : fixed).split('.')
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency ?? baseCurrency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })
  const grouped = groupDigits(intPart, locale)
  let fractionDone = false
  return format
    .formatToParts(negative ? -1 : 1)
    .map((part) => {
      if (part.type === 'integer') return grouped
      if (part.type === 'fraction') return fractionDone ? '' : ((fractionDone = true), frac)
      return part.value
    })
    .join('')
}

/**
 * part / whole as a percentage with `places` decimals (half-up), computed on the exact
 * decimals; for progress bars. null when `whole` is zero.
 */
export function percentOf(part: DecimalInput, whole: DecimalInput, places = 1): number | null {
  const x = parseDecimal(part)
  const y = parseDecimal(whole)
  const scale = Math.max(x.scale, y.scale)
  const numerator = rescale(x, scale) * 100n * pow10(places)
  const denominator = rescale(y, scale)
  if (denominator === 0n) return null
  const negative = numerator < 0n !== denominator < 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  let quotient = n / d
  if ((n % d) * 2n >= d) quotient += 1n
  return Number(formatScaled(negative ? -quotient : quotient, places))
}
