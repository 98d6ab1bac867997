import { describe, expect, it } from 'vitest'
import { buildInvoiceBody, chargedTotals, missingActionNote, parseTax } from './invoice'

const header = {
  po_id: 7,
  invoice_number: ' SUP-1 ',
  invoice_date: '2026-03-01',
  due_date: '',
  notes: '',
}

describe('the tax the supplier charged', () => {
  it('takes 0 to 2 decimals as typed and refuses a third', () => {
    expect(parseTax('')).toBe('')
    expect(parseTax(' 7.26 ')).toBe('7.26')
    expect(parseTax('0')).toBe('0')
    expect(parseTax('7.255')).toBeNull()
    expect(parseTax('-1')).toBeNull()
    expect(parseTax('abc')).toBeNull()
  })

  it('replaces the PO tax in the totals only when given', () => {
    const po = { subtotal: '100.05', tax: '7.25', total: '107.30' }
    expect(chargedTotals(po, '')).toEqual(po)
    expect(chargedTotals(po, '7.26')).toEqual({ subtotal: '100.05', tax: '7.26', total: '107.31' })
    expect(chargedTotals(po, '7.255')).toEqual(po)
  })

  it('is sent when given, left out when blank', () => {
    expect(buildInvoiceBody(header, []).body).not.toHaveProperty('tax_amount')
    const { body } = buildInvoiceBody({ ...header, tax_amount: '7.26' }, [])
    expect(body.tax_amount).toBe('7.26')
  })
})

describe('why an action is missing', () => {
  const can = (granted: string[]) => (p: string) => granted.includes(p)
  const approved = {
    status: 'Approved' as const,
    approved_by_id: 5,
    recorded_by_id: 4,
    allowed_actions: [] as string[],
  }

  it('tells the approver that someone else pays', () => {
    const note = missingActionNote(approved, 5, can(['payment:process', 'accounting:manage']))
    expect(note).toContain('You approved this invoice')
  })

  it('tells a user without the payment permission', () => {
    expect(missingActionNote(approved, 9, can([]))).toContain('payment permission')
  })

  it('tells the recorder that someone else approves', () => {
    const matched = { ...approved, status: 'Matched' as const, approved_by_id: null }
    expect(missingActionNote(matched, 4, can(['accounting:manage']))).toContain('You recorded')
  })

  it('says nothing when the action is offered or the state does not allow it', () => {
    const payable = { ...approved, allowed_actions: ['pay'] }
    expect(missingActionNote(payable, 9, can(['payment:process']))).toBe('')
    const paid = { ...approved, status: 'Paid' as const }
    expect(missingActionNote(paid, 5, can(['payment:process']))).toBe('')
  })
})
