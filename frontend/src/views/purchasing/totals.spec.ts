import { describe, expect, it } from 'vitest'
import { parseRate, percentToRate, poLineTotal, poTotals, rateToPercent, taxOf } from './totals'

describe('purchase order line totals', () => {
  it('multiplies quantity by unit price to the cent', () => {
    expect(poLineTotal({ quantity: '200', unit_price: '0.35' })).toBe('70.00')
    expect(poLineTotal({ quantity: '3', unit_price: '19.99' })).toBe('59.97')
    expect(poLineTotal({ quantity: '12.000', unit_price: '7.99' })).toBe('95.88')
  })

  it('rounds quantity to 3 places and price to 2 first, half-up, like the server', () => {
    expect(poLineTotal({ quantity: '10', unit_price: '4.125' })).toBe('41.30')
    expect(poLineTotal({ quantity: '1.2345', unit_price: '10' })).toBe('12.35')
    expect(poLineTotal({ quantity: '0.333', unit_price: '0.15' })).toBe('0.05')
  })

  it('is null while a value is missing or invalid', () => {
    expect(poLineTotal({ quantity: '', unit_price: '1' })).toBeNull()
    expect(poLineTotal({ quantity: '0', unit_price: '1' })).toBeNull()
    expect(poLineTotal({ quantity: '2', unit_price: '-1' })).toBeNull()
    expect(poLineTotal({ quantity: '2', unit_price: 'abc' })).toBeNull()
  })
})

describe('purchase order totals', () => {
  it('computes subtotal, tax = round(subtotal × rate, 2) and total', () => {
    expect(poTotals([{ quantity: '12', unit_price: '7.99' }], '0.0500')).toEqual({
      subtotal: '95.88',
      tax: '4.79',
      total: '100.67',
    })
  })

  it('rounds the tax half-up, never through a float', () => {
    expect(taxOf('0.10', '0.05')).toBe('0.01') // 0.005
    expect(taxOf('12.50', '0.07')).toBe('0.88') // 0.875
    expect(taxOf('20.10', '0.0725')).toBe('1.46') // 1.457250
    expect(taxOf('1.00', '0.0049')).toBe('0.00') // 0.0049
    expect(taxOf('9999999.99', '0.0500')).toBe('500000.00') // 499999.9995
  })

  it('adds exactly where floats would not', () => {
    const lines = [
      { quantity: '1', unit_price: '0.10' },
      { quantity: '1', unit_price: '0.20' },
    ]
    expect(poTotals(lines, '0')).toEqual({ subtotal: '0.30', tax: '0.00', total: '0.30' })
  })

  it('counts incomplete lines and an invalid rate as zero', () => {
    const lines = [
      { quantity: '2', unit_price: '10' },
      { quantity: '', unit_price: '5' },
    ]
    expect(poTotals(lines, null)).toEqual({ subtotal: '20.00', tax: '0.00', total: '20.00' })
    expect(poTotals([], '0.05')).toEqual({ subtotal: '0.00', tax: '0.00', total: '0.00' })
  })
})

describe('tax rates', () => {
  it('parses a fraction between 0 and 1 to 4 places', () => {
    expect(parseRate('0.05')).toBe('0.0500')
    expect(parseRate('0.07255')).toBe('0.0726')
    expect(parseRate('1')).toBe('1.0000')
    expect(parseRate('1.5')).toBeNull()
    expect(parseRate('-0.01')).toBeNull()
    expect(parseRate('')).toBeNull()
  })

  it('shows a rate as a percentage', () => {
    expect(rateToPercent('0.0500')).toBe('5')
    expect(rateToPercent('0.0725')).toBe('7.25')
    expect(rateToPercent('0.0000')).toBe('0')
    expect(rateToPercent('1.0000')).toBe('100')
    expect(rateToPercent('0.1')).toBe('10')
    expect(rateToPercent(null)).toBe('')
  })

  it('reads a percentage back as a rate, rounding once', () => {
    expect(percentToRate('5')).toBe('0.0500')
    expect(percentToRate('7.25')).toBe('0.0725')
    expect(percentToRate('12.5 %')).toBe('0.1250')
    expect(percentToRate('0.005')).toBe('0.0001')
    expect(percentToRate('1.234951')).toBe('0.0123')
    expect(percentToRate('100')).toBe('1.0000')
    expect(percentToRate('101')).toBeNull()
    expect(percentToRate('-1')).toBeNull()
    expect(percentToRate('five')).toBeNull()
  })
})
