import { describe, expect, it } from 'vitest'
import {
  add,
  compare,
  formatMoney,
  isValidDecimal,
  lineTotal,
  multiply,
  parseDecimal,
  percentOf,
  round,
  subtract,
  sum,
} from './money'

describe('money', () => {
  it('adds decimal strings exactly where floats drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(add('0.10', '0.20')).toBe('0.30')
    expect(add('1234.50', '0.05')).toBe('1234.55')
    expect(add('99999999999.99', '0.01')).toBe('100000000000.00')
  })

  it('sums many values and keeps negative results', () => {
    expect(sum(['0.01', '0.01', '0.01'])).toBe('0.03')
    expect(sum([])).toBe('0.00')
    expect(subtract('10.00', '10.01')).toBe('-0.01')
    expect(add('-5', '2.5')).toBe('-2.50')
  })

  it('multiplies exactly and rounds once at the end', () => {
    expect(multiply('3', '19.99')).toBe('59.97')
    expect(multiply('1.005', '1')).toBe('1.01')
    expect(multiply('0.333', '3')).toBe('1.00')
    expect(lineTotal('2.500', '3.33')).toBe('8.33') // 8.325 → half up
    expect(multiply('1.1', '1.1', 3)).toBe('1.210')
  })

  it('computes tax as round(subtotal × rate, 2) half-up', () => {
    expect(multiply('10.10', '0.05')).toBe('0.51') // 0.505
    expect(multiply('10.30', '0.05')).toBe('0.52') // 0.515
    expect(multiply('9999.99', '0.05')).toBe('500.00') // 499.9995
  })

  it('rounds half-up, away from zero on ties', () => {
    expect(round('2.345')).toBe('2.35')
    expect(round('2.344')).toBe('2.34')
    expect(round('-2.345')).toBe('-2.35')
    expect(round('-0.004')).toBe('0.00')
    expect(round('0.5', 0)).toBe('1')
    expect(round('1.2345', 3)).toBe('1.235')
    expect(round('7')).toBe('7.00')
  })

  it('accepts numbers, bigints and exponent notation without float maths', () => {
    expect(add(0.1, 0.2)).toBe('0.30')
    expect(add(10n, '0.5')).toBe('10.50')
    expect(round('1.5e2')).toBe('150.00')
    expect(round(1e-7, 2)).toBe('0.00')
    expect(parseDecimal('-12.340')).toEqual({ units: -12340n, scale: 3 })
  })

  it('refuses what is not a decimal', () => {
    expect(() => add('abc', '1')).toThrow(RangeError)
    expect(() => add(Number.NaN, '1')).toThrow(RangeError)
    expect(() => round('.')).toThrow(RangeError)
    expect(isValidDecimal('12.50')).toBe(true)
    expect(isValidDecimal('12,50x')).toBe(false)
    expect(isValidDecimal(null)).toBe(false)
  })

  it('compares regardless of scale', () => {
    expect(compare('1.50', '1.5')).toBe(0)
    expect(compare('4999.99', '5000')).toBe(-1)
    expect(compare('10000.00', '9999.999')).toBe(1)
  })

  it('formats with grouping and currency symbol', () => {
    expect(formatMoney('1234567.5')).toBe('$1,234,567.50')
    expect(formatMoney('-0.125')).toBe('-$0.13')
    expect(formatMoney('12', 'EUR')).toBe('€12.00')
  })

  it('works out budget percentages on the exact decimals', () => {
    expect(percentOf('250.00', '1000.00')).toBe(25)
    expect(percentOf('1', '3')).toBe(33.3)
    expect(percentOf('2', '3')).toBe(66.7)
    expect(percentOf('1200', '1000')).toBe(120)
    expect(percentOf('0.05', '1000', 2)).toBe(0.01)
    expect(percentOf('5', '0')).toBeNull()
  })
})
