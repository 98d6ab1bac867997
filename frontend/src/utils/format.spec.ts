import { afterEach, describe, expect, it } from 'vitest'
import {
  dayRangeBounds,
  formatAmount,
  formatDate,
  formatDateTime,
  formatDay,
  formatQuantity,
  toApiTime,
} from './format'
import { formatMoney, getBaseCurrency, setBaseCurrency } from './money'

describe('dayRangeBounds', () => {
  it('spans whole local days, from the first start to the last end', () => {
    const bounds = dayRangeBounds([new Date(2026, 2, 1, 15, 30), new Date(2026, 2, 3, 8, 0)])
    expect(bounds).toEqual({
      from: toApiTime(new Date(2026, 2, 1, 0, 0, 0)),
      to: toApiTime(new Date(2026, 2, 3, 23, 59, 59)),
    })
    expect(bounds.from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  })

  it('clears both bounds once the range is cleared', () => {
    expect(dayRangeBounds(null)).toEqual({ from: '', to: '' })
  })
})

describe('formatAmount', () => {
  afterEach(() => setBaseCurrency('USD'))

  it('shows the base currency, grouping and always two decimals', () => {
    expect(formatAmount('5137.5')).toBe('$5,137.50')
    expect(formatAmount('5027.4')).toBe('$5,027.40')
    expect(formatAmount('0')).toBe('$0.00')
    expect(formatAmount('-12.345')).toBe('-$12.35')
    expect(formatAmount('12345678901234567.89')).toBe('$12,345,678,901,234,567.89')
  })

  it('follows the base currency from /auth/me', () => {
    setBaseCurrency('EUR')
    expect(formatAmount('1234.5')).toBe('€1,234.50')
    setBaseCurrency('nonsense')
    expect(getBaseCurrency()).toBe('EUR')
  })

  it('writes the locale’s separators and symbol position', () => {
    expect(formatMoney('1234567.5', 'EUR', 'de-DE')).toBe('1.234.567,50\u00a0€')
    expect(formatMoney('1234.5', 'USD', 'en-US')).toBe('$1,234.50')
  })

  it('shows a dash for nothing or garbage', () => {
    expect(formatAmount(null)).toBe('—')
    expect(formatAmount('')).toBe('—')
    expect(formatAmount('abc')).toBe('—')
  })
})

describe('formatQuantity', () => {
  it('drops trailing zeros', () => {
    expect(formatQuantity('20.000', 'EA')).toBe('20 EA')
    expect(formatQuantity('2.500')).toBe('2.5')
    expect(formatQuantity('0.125', 'KG')).toBe('0.125 KG')
    expect(formatQuantity('12000.000', 'PC')).toBe('12,000 PC')
    expect(formatQuantity('-6.000', 'EA')).toBe('-6 EA')
  })

  it('keeps the places a unit needs', () => {
    expect(formatQuantity('1.500', 'HR')).toBe('1.50 HR')
    expect(formatQuantity('2', 'h')).toBe('2.00 h')
  })

  it('writes the locale’s decimal separator', () => {
    expect(formatQuantity('1234.5', 'KG', 'de-DE')).toBe('1.234,5 KG')
  })

  it('shows a dash for nothing', () => {
    expect(formatQuantity(null, 'EA')).toBe('—')
  })
})

describe('dates', () => {
  it('formats a calendar day and an API time, a dash for none', () => {
    expect(formatDay('2026-03-01')).toMatch(/2026/)
    expect(formatDay(null)).toBe('—')
    expect(formatDateTime('2026-03-01T10:00:00Z')).toMatch(/2026/)
    expect(formatDateTime('not a date')).toBe('not a date')
    expect(formatDate(undefined)).toBe('—')
  })
})
