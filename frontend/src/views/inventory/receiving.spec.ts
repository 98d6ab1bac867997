import { describe, expect, it } from 'vitest'
import type { POLine } from '@/types/purchasing'
import {
  buildReceiveBody,
  localReceiveErrors,
  receiveErrorsFrom,
  remainingOf,
  rowsFromPoLines,
} from './receiving'

function poLine(id: number, quantity: string, received: string): POLine {
  return {
    id,
    line_no: id,
    requisition_item_id: null,
    item_id: null,
    description: `Line ${id}`,
    quantity,
    uom: 'EA',
    unit_price: '1.00',
    line_total: quantity,
    quantity_received: received,
    quantity_returned: '0.000',
    quantity_credited: '0.000',
    quantity_net: received,
    quantity_open: remainingOf({ quantity, quantity_received: received }),
  }
}

describe('receiving rows', () => {
  it('computes what is still to come exactly, never below zero', () => {
    expect(remainingOf({ quantity: '10.000', quantity_received: '3.300' })).toBe('6.700')
    expect(remainingOf({ quantity: '0.3', quantity_received: '0.1' })).toBe('0.200')
    expect(remainingOf({ quantity: '5.000', quantity_received: '5.000' })).toBe('0.000')
    expect(remainingOf({ quantity: '5.000', quantity_received: '6.000' })).toBe('0.000')
  })

  it('prefills the quantity with the remainder and the default location', () => {
    const rows = rowsFromPoLines([poLine(1, '10.000', '4.000'), poLine(2, '2.000', '2.000')], 7)
    expect(rows[0]).toMatchObject({ remaining: '6.000', quantity: '6.000', location_id: 7 })
    expect(rows[1]).toMatchObject({ remaining: '0.000', quantity: '', condition: 'Good' })
  })

  it('sends only rows with a quantity and remembers their table rows', () => {
    const rows = rowsFromPoLines(
      [poLine(1, '10', '0'), poLine(2, '5', '0'), poLine(3, '4', '0')],
      2,
    )
    rows[0]!.quantity = '0'
    rows[2]!.quantity = '1.5'
    rows[2]!.condition = 'Damaged'
    const { body, rowOf } = buildReceiveBody(42, rows)
    expect(body).toEqual({
      po_id: 42,
      lines: [
        { po_line_id: 2, quantity: '5.000', condition: 'Good', location_id: 2 },
        { po_line_id: 3, quantity: '1.500', condition: 'Damaged', location_id: 2 },
      ],
    })
    expect(rowOf).toEqual([1, 2])
  })

  it('sends the delivery note number and receipt date when given', () => {
    const rows = rowsFromPoLines([poLine(1, '10', '0')], 2)
    const delivery = { number: ' DN-7 ', date: '2026-03-01' }
    const { body } = buildReceiveBody(42, rows, '', delivery)
    expect(body.delivery_note_number).toBe('DN-7')
    expect(body.receipt_date).toBe('2026-03-01')
    const plain = buildReceiveBody(42, rows, '', { number: ' ', date: null }).body
    expect(plain).not.toHaveProperty('delivery_note_number')
    expect(plain).not.toHaveProperty('receipt_date')
  })

  it('checks quantities and locations before sending', () => {
    const rows = rowsFromPoLines([poLine(1, '10', '0'), poLine(2, '5', '0')])
    rows[0]!.quantity = 'abc'
    rows[0]!.location_id = 3
    expect(localReceiveErrors(rows)).toEqual({
      0: { quantity: 'A number above 0' },
      1: { location_id: 'Choose a location' },
    })
  })

  it('puts the server per-line messages on the right table row', () => {
    const detail = {
      '1': { quantity: ['Over the ordered quantity'] },
      '0': { location_id: ['No'] },
    }
    expect(receiveErrorsFrom(detail, [1, 3])).toEqual({
      rows: { 3: { quantity: 'Over the ordered quantity' }, 1: { location_id: 'No' } },
      general: '',
    })
    expect(receiveErrorsFrom(['Give between 1 and 200 lines.'], []).general).toBe(
      'Give between 1 and 200 lines.',
    )
  })
})
