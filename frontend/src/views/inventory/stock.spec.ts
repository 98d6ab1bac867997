import { describe, expect, it } from 'vitest'
import type { InventoryRow } from '@/types/inventory'
import {
  actionHint,
  changeForCount,
  checkAdjustment,
  checkOutgoing,
  hasAvailable,
  onHandAfter,
  parseChange,
  rowActions,
  signed,
} from './stock'

function row(extra: Partial<InventoryRow> = {}): InventoryRow {
  return {
    id: 1,
    stock_key: 'item:7',
    item_id: 7,
    po_line_id: null,
    sku: 'BRG-6204',
    name: 'Bearing 6204',
    description: null,
    uom: 'EA',
    location: { id: 3, code: 'A-01-01', name: 'Bin 1' },
    status: 'Available',
    quantity: '12.000',
    reorder_level: '0.000',
    available_total: '12.000',
    low_stock: false,
    updated_at: '2026-03-01T10:00:00Z',
    ...extra,
  }
}

describe('what a stock row allows', () => {
  it('moves, adjusts and issues Available stock of a catalog item', () => {
    expect(rowActions(row())).toEqual({ move: true, adjust: true, issue: true })
    expect(actionHint(row(), 'move')).toBe('')
  })

  it('offers nothing on stock still waiting for its requester', () => {
    const pending = row({ status: 'Pending Acceptance' })
    expect(rowActions(pending)).toEqual({ move: false, adjust: false, issue: false })
    expect(actionHint(pending, 'issue')).toBe('Pending Acceptance stock waits for its requester')
  })

  it('does not adjust goods without a catalog item, which the API cannot key', () => {
    const free = row({ item_id: null, stock_key: 'po-line:4', po_line_id: 4, sku: null })
    expect(rowActions(free)).toEqual({ move: true, adjust: false, issue: true })
    expect(actionHint(free, 'adjust')).toBe('Only catalog items can be adjusted')
  })

  it('moves and issues nothing from an empty row, but may adjust it up', () => {
    const empty = row({ quantity: '0.000' })
    expect(hasAvailable(empty)).toBe(false)
    expect(rowActions(empty)).toEqual({ move: false, adjust: true, issue: false })
    expect(actionHint(empty, 'move')).toBe('Nothing on hand here')
  })
})

describe('outgoing quantities (move, issue)', () => {
  it('takes any quantity above 0 up to what is on hand, rounded half-up to 3 places', () => {
    expect(checkOutgoing('4', '12.000')).toEqual({ ok: true, quantity: '4.000' })
    expect(checkOutgoing(' 12 ', '12.000')).toEqual({ ok: true, quantity: '12.000' })
    expect(checkOutgoing('0.0005', '1')).toEqual({ ok: true, quantity: '0.001' })
    // 0.1 + 0.2 style drift cannot happen: 0.3 of 0.3 is exactly all of it
    expect(checkOutgoing('0.3', '0.300')).toEqual({ ok: true, quantity: '0.300' })
  })

  it('refuses more than on hand, even by a thousandth', () => {
    expect(checkOutgoing('12.001', '12.000')).toEqual({
      ok: false,
      error: 'At most the 12 available here',
    })
    expect(checkOutgoing('12.0004', '12.000')).toEqual({ ok: true, quantity: '12.000' })
  })

  it('refuses blanks, zero, negatives and words', () => {
    for (const text of ['', '0', '0.0004', '-1', 'abc', '1..2']) {
      expect(checkOutgoing(text, '12.000')).toEqual({
        ok: false,
        error: 'Enter a quantity above 0',
      })
    }
  })
})

describe('adjustments', () => {
  it('reads a signed change, never zero', () => {
    expect(parseChange('5')).toBe('5.000')
    expect(parseChange('-2.5')).toBe('-2.500')
    expect(parseChange('+1.0005')).toBe('1.001')
    expect(parseChange('0')).toBeNull()
    expect(parseChange('-0.0004')).toBeNull()
    expect(parseChange('x')).toBeNull()
    expect(parseChange('')).toBeNull()
  })

  it('may take stock down to zero but not below', () => {
    expect(checkAdjustment('-12', '12.000')).toEqual({ ok: true, quantity: '-12.000' })
    expect(checkAdjustment('-12.001', '12.000')).toEqual({
      ok: false,
      error: 'Cannot remove more than the 12 on hand',
    })
    expect(checkAdjustment('0', '12.000')).toMatchObject({ ok: false })
  })

  it('adds to a location where nothing is stocked yet, up to what a balance holds', () => {
    expect(checkAdjustment('7.25', '0.000')).toEqual({ ok: true, quantity: '7.250' })
    expect(checkAdjustment('999999999.999', '0')).toEqual({ ok: true, quantity: '999999999.999' })
    expect(checkAdjustment('1', '999999999.999')).toEqual({
      ok: false,
      error: 'A location holds at most 999999999.999',
    })
  })

  it('turns a counted quantity into the change, and a change into what is left', () => {
    expect(changeForCount('12.000', '9.5')).toBe('-2.500')
    expect(changeForCount('12.000', '15')).toBe('3.000')
    expect(changeForCount('12.000', '12')).toBe('0.000')
    expect(changeForCount('12.000', '-1')).toBeNull()
    expect(changeForCount('12.000', 'many')).toBeNull()
    expect(onHandAfter('0.300', '-0.1')).toBe('0.200')
    expect(onHandAfter('12.000', '')).toBeNull()
  })

  it('always writes the sign of a change', () => {
    expect(signed('3.000')).toBe('+3.000')
    expect(signed('-2.500')).toBe('-2.500')
  })
})
