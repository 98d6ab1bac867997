import { describe, expect, it } from 'vitest'
import {
  blankLine,
  grandTotal,
  itemErrorsFrom,
  lineFromItem,
  lineTotalOf,
  localLineErrors,
  parsePrice,
  parseQuantity,
  tidyPrice,
  tidyQuantity,
  toItemBody,
  type LineDraft,
} from './lines'

const line = (quantity: string, estimated_unit_price: string, extra: Partial<LineDraft> = {}) => ({
  ...blankLine(),
  description: 'Bolt M8',
  quantity,
  estimated_unit_price,
  ...extra,
})

describe('line totals', () => {
  it('multiplies exactly where floats drift', () => {
    expect(0.1 * 3).not.toBe(0.3)
    expect(lineTotalOf(line('3', '0.10'))).toBe('0.30')
    expect(lineTotalOf(line('3', '19.99'))).toBe('59.97')
    expect(lineTotalOf(line('1000000', '9999.99'))).toBe('9999990000.00')
  })

  it('rounds the quantity to 3 places and the price to cents before multiplying, half-up', () => {
    // 2.5 × 3.33 = 8.325 → 8.33 (half-up, not banker's 8.32)
    expect(lineTotalOf(line('2.5', '3.33'))).toBe('8.33')
    // 1.0005 → 1.001 (3 places, half-up); 1.001 × 10 = 10.01
    expect(lineTotalOf(line('1.0005', '10'))).toBe('10.01')
    // 0.125 → 0.13 per unit; × 3 = 0.39
    expect(lineTotalOf(line('3', '0.125'))).toBe('0.39')
  })

  it('has no total while a line is incomplete or invalid', () => {
    expect(lineTotalOf(line('', '5'))).toBeNull()
    expect(lineTotalOf(line('2', ''))).toBeNull()
    expect(lineTotalOf(line('0', '5'))).toBeNull()
    expect(lineTotalOf(line('-1', '5'))).toBeNull()
    expect(lineTotalOf(line('2', '-0.01'))).toBeNull()
    expect(lineTotalOf(line('two', '5'))).toBeNull()
    expect(lineTotalOf(line('2', '0'))).toBe('0.00')
  })

  it('sums the rounded line totals into the grand total', () => {
    expect(grandTotal([])).toBe('0.00')
    expect(grandTotal([line('1', '0.10'), line('1', '0.20')])).toBe('0.30')
    // each line is rounded first, as the server stores line_total: 8.33 + 8.33
    expect(grandTotal([line('2.5', '3.33'), line('2.5', '3.33')])).toBe('16.66')
    // incomplete lines count as zero
    expect(grandTotal([line('2', '10.00'), line('', '5'), line('1', 'x')])).toBe('20.00')
    // 999.999 × 99999.99 = 99999890.00001 → 99999890.00 a line
    expect(grandTotal(Array.from({ length: 50 }, () => line('999.999', '99999.99')))).toBe(
      '4999994500.00',
    )
  })
})

describe('parsing what is typed', () => {
  it('accepts quantities above zero with 3 places and prices of zero or more with 2', () => {
    expect(parseQuantity(' 2 ')).toBe('2.000')
    expect(parseQuantity('0.0004')).toBeNull() // rounds to 0.000
    expect(parseQuantity('0.0005')).toBe('0.001')
    expect(parsePrice('12.5')).toBe('12.50')
    expect(parsePrice('0')).toBe('0.00')
    expect(parsePrice('abc')).toBeNull()
    expect(parsePrice(null)).toBeNull()
  })

  it('tidies on blur without throwing away what cannot be parsed', () => {
    expect(tidyPrice('12.5')).toBe('12.50')
    expect(tidyPrice('oops')).toBe('oops')
    expect(tidyQuantity('2')).toBe('2')
    expect(tidyQuantity('1.23456')).toBe('1.235')
  })
})

describe('request body', () => {
  it('sends decimal strings, upper-case units and the optional references', () => {
    const body = toItemBody(
      line('2.5', '3.3', {
        description: '  Cable ties ',
        uom: 'pk',
        item_id: 7,
        suggested_supplier_id: 3,
      }),
    )
    expect(body).toEqual({
      description: 'Cable ties',
      item_id: 7,
      quantity: '2.500',
      uom: 'PK',
      estimated_unit_price: '3.30',
      suggested_supplier_id: 3,
    })
  })

  it('round-trips a stored item into an editable line', () => {
    const draft = lineFromItem({
      id: 1,
      line_no: 1,
      description: 'Gloves',
      item_id: null,
      quantity: '4.000',
      uom: 'PR',
      estimated_unit_price: '2.25',
      line_total: '9.00',
      suggested_supplier_id: null,
      suggested_supplier: null,
      catalog_item: null,
      po_line_id: null,
      sourcing_status: 'Unsourced',
    })
    expect(lineTotalOf(draft)).toBe('9.00')
    expect(toItemBody(draft).quantity).toBe('4.000')
  })

  it('flags empty descriptions and bad numbers per row before sending', () => {
    expect(localLineErrors([line('1', '1'), line('0', '', { description: ' ' })])).toEqual({
      1: {
        description: 'Required',
        quantity: 'A number above 0',
        estimated_unit_price: 'A price of 0 or more',
      },
    })
  })
})

describe('server item errors', () => {
  it('puts nested 422 messages on the right cell', () => {
    const { rows, general } = itemErrorsFrom({
      '0': { quantity: ['Must be at least 0.001.'] },
      '2': { description: ['Shorter than minimum length 1.'], estimated_unit_price: ['Bad'] },
    })
    expect(general).toBe('')
    expect(rows[0]).toEqual({ quantity: 'Must be at least 0.001.' })
    expect(rows[2]).toEqual({
      description: 'Shorter than minimum length 1.',
      estimated_unit_price: 'Bad',
    })
    expect(rows[1]).toBeUndefined()
  })

  it('keeps a message about the whole list apart', () => {
    expect(itemErrorsFrom(['Give between 1 and 50 items.'])).toEqual({
      rows: {},
      general: 'Give between 1 and 50 items.',
    })
    expect(itemErrorsFrom({ '1': ['Not an object.'] }).rows).toEqual({
      1: { _row: 'Not an object.' },
    })
    expect(itemErrorsFrom(undefined)).toEqual({ rows: {}, general: '' })
  })
})
