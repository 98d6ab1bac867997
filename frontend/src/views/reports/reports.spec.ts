import { describe, expect, it } from 'vitest'
import { cleanParams, reportFileUrl } from '@/api/reports'
import { cycleTimeOption, pct, spendByMonthOption, supplierScatterOption } from './charts'
import { fromQuery, idFilter, toQuery } from './useReportQuery'
import { visibleNav } from '@/components/layout/nav'

const month = (m: string, label: string, committed: string) => ({
  month: m,
  label,
  group_id: 1,
  committed,
  received: '0',
  invoiced: '0',
  paid: '0',
})

describe('report filters in the URL', () => {
  it('keeps only the set filters, and reads them back with defaults for the rest', () => {
    const filters = { group_by: 'project', from: '2026-01-01', to: '', project_id: '7' }
    const query = toQuery(filters)
    expect(query).toEqual({ group_by: 'project', from: '2026-01-01', project_id: '7' })
    const back = fromQuery(query, { group_by: 'supplier', from: '', to: '', project_id: '' })
    expect(back).toEqual(filters)
  })

  it('lets a picker edit an id filter as a number, kept as a string in the URL', () => {
    const filters = { project_id: '', supplier_id: '12' }
    const project = idFilter(filters, 'project_id')
    const supplier = idFilter(filters, 'supplier_id')
    expect([project.value, supplier.value]).toEqual([null, 12])
    project.value = 7
    supplier.value = null
    expect(filters).toEqual({ project_id: '7', supplier_id: '' })
    expect(toQuery(filters)).toEqual({ project_id: '7' })
  })

  it('builds the file link of the same report with format=', () => {
    expect(cleanParams({ a: '', b: 2, c: undefined })).toEqual({ b: '2' })
    expect(reportFileUrl('spend', { group_by: 'month', to: '' }, 'xlsx')).toBe(
      '/api/v1/reports/spend?group_by=month&format=xlsx',
    )
  })
})

describe('report charts', () => {
  it('stacks committed spend per group by month, zero where a group has none', () => {
    const option = spendByMonthOption([
      month('2026-02', 'Acme', '220.00'),
      month('2026-01', 'Acme', '200.00'),
      month('2026-02', 'Bolt', '300.00'),
    ]) as { xAxis: { data: string[] }; series: { name: string; stack: string; data: number[] }[] }
    expect(option.xAxis.data).toEqual(['2026-01', '2026-02'])
    expect(option.series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ['Acme', 'committed', [200, 220]],
      ['Bolt', 'committed', [0, 300]],
    ])
  })

  it('draws median and p90 bars per step', () => {
    const row = { key_id: 0, count: 3, overdue: 1, escalations: 1, delegations: 0 }
    const option = cycleTimeOption([
      { ...row, label: 'Line manager', median_hours: 4, p90_hours: 8.8 },
    ]) as { series: { name: string; data: number[] }[] }
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['Median', [4]],
      ['P90', [8.8]],
    ])
  })

  it('plots suppliers by on-time rate and price variance, skipping the never delivered', () => {
    const base = { code: 'A', po_count: 1, spend: '1', receipts_rated: 1, lead_time_median_days: 1 }
    const rates = { quantity_accuracy: null, return_rate: null, price_variance_last: null }
    const more = { invoice_count: 0, invoice_exception_rate: null }
    const option = supplierScatterOption([
      {
        ...base,
        ...rates,
        ...more,
        supplier_id: 1,
        name: 'Acme',
        on_time_rate: '0.6667',
        price_variance_po: '0.0137',
      },
      {
        ...base,
        ...rates,
        ...more,
        supplier_id: 2,
        name: 'Bolt',
        on_time_rate: null,
        price_variance_po: null,
      },
    ]) as { series: { data: { name: string; value: number[]; supplierId: number }[] }[] }
    expect(option.series[0]!.data).toEqual([{ name: 'Acme', value: [66.7, 1.4], supplierId: 1 }])
    expect(pct(null)).toBe(0)
  })
})

describe('reports menu', () => {
  const labels = (perms: string[]) =>
    visibleNav((p) => (Array.isArray(p) ? p : [p]).some((x) => perms.includes(x)))
      .find((s) => s.title === 'Reports')
      ?.items.map((i) => i.label)

  it('shows Procurement spend and supplier performance, the financial roles all three', () => {
    expect(labels(['reports:procurement'])).toEqual(['Spend', 'Supplier performance'])
    expect(labels(['reports:financial'])).toEqual([
      'Spend',
      'Approval cycle time',
      'Supplier performance',
    ])
    expect(labels(['po:view'])).toBeUndefined()
  })
})
