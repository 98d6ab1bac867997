import { describe, expect, it } from 'vitest'
import { remainingOf } from '@/views/inventory/receiving'
import type { POLine } from '@/types/purchasing'
import {
  buildInvoiceBody,
  invoiceTotals,
  localInvoiceErrors,
  reasonFigures,
  rowWarning,
  rowsFromPo,
} from './invoice'

function poLine(id: number, quantity: string, price: string, received = quantity): POLine {
  return {
    id,
    line_no: id,
    requisition_item_id: null,
    item_id: null,
    description: `Line ${id}`,
    quantity,
    uom: 'EA',
    unit_price: price,
    line_total: '0.00',
    quantity_received: received,
    quantity_returned: '0.000',
    quantity_credited: '0.000',
    quantity_net: received,
    quantity_open: remainingOf({ quantity, quantity_received: received }),
  }
}

describe('invoice form', () => {
  it('prefills the lines from the PO and totals them exactly', () => {
    const rows = rowsFromPo([poLine(1, '12.000', '7.99'), poLine(2, '3.000', '0.10')])
    expect(invoiceTotals(rows, '0.0500')).toEqual({
      subtotal: '96.18',
      tax: '4.81',
      total: '100.99',
    })
  })

  it('leaves out lines with a blank or zero quantity', () => {
    const rows = rowsFromPo([poLine(1, '1', '0.10'), poLine(2, '1', '0.20')])
    rows[1]!.quantity = '0'
    expect(invoiceTotals(rows, '0.0500')).toEqual({ subtotal: '0.10', tax: '0.01', total: '0.11' })
    const { body, rowOf } = buildInvoiceBody(
      { po_id: 9, invoice_number: ' INV-77 ', invoice_date: '2026-01-05', due_date: '', notes: '' },
      rows,
    )
    expect(body).toEqual({
      po_id: 9,
      invoice_number: 'INV-77',
      invoice_date: '2026-01-05',
      lines: [{ po_line_id: 1, quantity: '1.000', unit_price: '0.10' }],
    })
    expect(rowOf).toEqual([0])
  })

  it('flags invalid cells and likely mismatches', () => {
    const rows = rowsFromPo([poLine(1, '5', '2.00', '3.000'), poLine(2, '1', '1.00')])
    rows[1]!.unit_price = '-1'
    expect(localInvoiceErrors(rows)).toEqual({ 1: { unit_price: 'A price of 0 or more' } })
    expect(rowWarning(rows[0]!)).toBe('More than received (3.000)')
    rows[0]!.quantity = '3'
    rows[0]!.unit_price = '2.05'
    expect(rowWarning(rows[0]!)).toBe('Differs from PO price by 0.05')
  })
})

describe('reasonFigures', () => {
  it('writes quantities without trailing zeros and prices as money', () => {
    expect(
      reasonFigures({ code: 'QTY_OVER_RECEIVED', expected: '2.000', actual: '5.000' }),
    ).toEqual({ expected: '2', actual: '5' })
    expect(
      reasonFigures({ code: 'PRICE_OVER_TOLERANCE', expected: '20.00', actual: '22.5' }),
    ).toEqual({ expected: '$20.00', actual: '$22.50' })
    expect(reasonFigures({ code: 'TAX_MISMATCH', expected: '1000', actual: '' })).toEqual({
      expected: '$1,000.00',
      actual: '—',
    })
  })
})
