import { describe, expect, it } from 'vitest'
import type { ComparisonLine, QuoteCell, RfqDetail } from '@/types/purchasing'
import { awardGroups, chosenAwards, defaultAwards, defaultSupplier } from './award'
import { parseLeadTime, quoteForm, quoteRows } from './quotes'
import { earliestNeededBy, rfqTitle, suggestedSupplier, suggestedSuppliers } from './sourcing'

const SUPPLIERS = [
  { id: 1, code: 'ACME', name: 'Acme' },
  { id: 2, code: 'BOLT', name: 'Bolt' },
  { id: 3, code: 'FAST', name: 'Fast' },
]

function cell(supplier_id: number, over: Partial<QuoteCell> = {}): QuoteCell {
  return {
    supplier_id,
    supplier_name: SUPPLIERS.find((s) => s.id === supplier_id)?.name ?? '',
    quoted: true,
    unit_price: '1.00',
    line_total: '10.00',
    lead_time_days: 5,
    valid_until: null,
    notes: null,
    expired: false,
    cheapest: false,
    fastest: false,
    awarded: false,
    ...over,
  }
}

function line(id: number, quotes: QuoteCell[]): ComparisonLine {
  return {
    id,
    line_no: id,
    requisition_item_id: 100 + id,
    req_number: 'REQ-2026-00001',
    description: `Line ${id}`,
    quantity: '10.000',
    uom: 'EA',
    awarded_supplier_id: null,
    quotes,
  }
}

const unquoted = (supplier_id: number) =>
  cell(supplier_id, { quoted: false, unit_price: null, line_total: null, lead_time_days: null })

describe('award defaults', () => {
  it('picks the cheapest valid quote, exactly (not by float)', () => {
    const l = line(1, [
      cell(1, { unit_price: '10.10' }),
      cell(2, { unit_price: '10.09' }),
      cell(3, { unit_price: '100.00' }),
    ])
    expect(defaultSupplier(l)).toBe(2)
  })

  it('breaks a price tie by lead time and skips expired or missing quotes', () => {
    const l = line(1, [
      cell(1, { unit_price: '5.00', lead_time_days: 9 }),
      cell(2, { unit_price: '5.00', lead_time_days: 3 }),
      cell(3, { unit_price: '1.00', expired: true }),
    ])
    expect(defaultSupplier(l)).toBe(2)
    expect(defaultSupplier(line(2, [unquoted(1), unquoted(2)]))).toBeNull()
  })

  it('groups the choice into one draft PO per supplier with exact totals', () => {
    const rfq = {
      suppliers: SUPPLIERS,
      lines: [
        line(1, [cell(1, { line_total: '0.10' }), cell(2, { line_total: '0.50' })]),
        line(2, [cell(1, { line_total: '0.20' }), cell(2, { line_total: '0.10' })]),
        line(3, [unquoted(1), unquoted(2)]),
      ],
    } as unknown as RfqDetail
    const choices = { ...defaultAwards(rfq), 2: 1 }
    expect(choices).toEqual({ 1: 1, 2: 1, 3: null })
    expect(awardGroups(rfq, choices)).toEqual([
      { supplier_id: 1, supplier_name: 'Acme', lines: 2, total: '0.30' },
    ])
    expect(chosenAwards(choices)).toEqual({ 1: 1, 2: 1 })
  })
})

describe('recording quotes', () => {
  const rfq = {
    lines: [
      line(1, [cell(1, { unit_price: '2.50', lead_time_days: 4 }), unquoted(2)]),
      line(2, [unquoted(1), unquoted(2)]),
      line(3, [unquoted(1), unquoted(2)]),
    ],
  }

  it('prefills what the supplier already quoted', () => {
    const rows = quoteRows(rfq, 1)
    expect(rows.map((r) => [r.unit_price, r.lead_time_days])).toEqual([
      ['2.50', '4'],
      ['', ''],
      ['', ''],
    ])
  })

  it('skips blank rows, checks the others and maps quotes back to rows', () => {
    const rows = quoteRows(rfq, 1)
    rows[1] = { ...rows[1]!, unit_price: '3.456', lead_time_days: '7' }
    rows[2] = { ...rows[2]!, unit_price: '1', lead_time_days: '' }
    const form = quoteForm(rows, { valid_until: '2026-12-31', notes: ' net 30 ' })
    expect(form.quotes).toEqual([
      {
        rfq_line_id: 1,
        unit_price: '2.50',
        lead_time_days: 4,
        valid_until: '2026-12-31',
        notes: 'net 30',
      },
      {
        rfq_line_id: 2,
        unit_price: '3.46',
        lead_time_days: 7,
        valid_until: '2026-12-31',
        notes: 'net 30',
      },
    ])
    expect(form.rowOf).toEqual([0, 1])
    expect(form.errors).toEqual({ 2: { lead_time_days: 'Whole days, 0 to 3650' } })
  })

  it('takes whole days only', () => {
    expect(parseLeadTime('0')).toBe(0)
    expect(parseLeadTime('14')).toBe(14)
    expect(parseLeadTime('1.5')).toBeNull()
    expect(parseLeadTime('-1')).toBeNull()
    expect(parseLeadTime('4000')).toBeNull()
  })
})

describe('sourcing defaults', () => {
  const acme = SUPPLIERS[0]!
  const bolt = SUPPLIERS[1]!

  it('prefills the supplier most lines suggest', () => {
    const lines = [
      { suggested_supplier: null },
      { suggested_supplier: bolt },
      { suggested_supplier: acme },
      { suggested_supplier: acme },
    ]
    expect(suggestedSupplier(lines)).toEqual(acme)
    expect(suggestedSuppliers(lines)).toEqual([bolt, acme])
    expect(suggestedSupplier([{ suggested_supplier: null }])).toBeNull()
  })

  it('expects delivery on the earliest needed-by date still ahead', () => {
    const lines = [
      { needed_by: '2026-01-05' },
      { needed_by: '2026-03-01' },
      { needed_by: null },
      { needed_by: '2026-02-10' },
    ]
    expect(earliestNeededBy(lines, '2026-02-01')).toBe('2026-02-10')
    expect(earliestNeededBy(lines, '2026-04-01')).toBeNull()
  })

  it('titles an RFQ after its requisitions', () => {
    expect(
      rfqTitle([{ req_number: 'REQ-1' }, { req_number: 'REQ-1' }, { req_number: 'REQ-2' }]),
    ).toBe('Quotation for REQ-1, REQ-2')
    expect(rfqTitle(['A', 'B', 'C', 'D', 'E'].map((n) => ({ req_number: n })))).toBe(
      'Quotation for A, B, C + 2 more',
    )
  })
})
