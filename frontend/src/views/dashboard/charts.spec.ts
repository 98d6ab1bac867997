import { describe, expect, it } from 'vitest'
import {
  fillMonths,
  monthLabel,
  orderedStatuses,
  spendChart,
  spendTotal,
  statusDoughnut,
} from './charts'

describe('dashboard charts', () => {
  it('orders statuses as the workflow goes, with unknown ones last', () => {
    expect(orderedStatuses({ Approved: 1, Parked: 2, Draft: 3 })).toEqual([
      'Draft',
      'Approved',
      'Parked',
    ])
  })

  it('leaves empty statuses out of the doughnut', () => {
    const option = statusDoughnut({ Draft: 0, Submitted: 2, Approved: 1 })
    const series = (option.series as { data: { name: string; value: number }[] }[])[0]
    expect(series?.data.map((d) => [d.name, d.value])).toEqual([
      ['Submitted', 2],
      ['Approved', 1],
    ])
  })

  it('totals spend exactly, from the decimal strings', () => {
    const months = [
      { month: '2026-10', amount: '0.10' },
      { month: '2026-11', amount: '0.20' },
      { month: '2026-12', amount: '1234567.05' },
    ]
    expect(spendTotal(months)).toBe('$1,234,567.35')
  })

  it('plots months in order and shows the exact amount in the tooltip', () => {
    const option = spendChart(
      [
        { month: '2026-11', amount: '1234.50' },
        { month: '2026-10', amount: '0.30' },
      ],
      '2026-11',
    )
    expect((option.xAxis as { data: string[] }).data).toEqual(['Oct 2026', 'Nov 2026'])
    const series = (option.series as { data: { value: number; exact: string }[] }[])[0]
    expect(series?.data.map((d) => d.exact)).toEqual(['0.30', '1234.50'])
    const tooltip = option.tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter({ name: 'Nov 2026', data: { exact: '1234.50' } })).toContain(
      '$1,234.50',
    )
  })

  it('fills months without spend up to the current one, across a year end', () => {
    const filled = fillMonths(
      [
        { month: '2026-11', amount: '5.00' },
        { month: '2027-01', amount: '7.25' },
      ],
      '2027-02',
    )
    expect(filled).toEqual([
      { month: '2026-11', amount: '5.00' },
      { month: '2026-12', amount: '0.00' },
      { month: '2027-01', amount: '7.25' },
      { month: '2027-02', amount: '0.00' },
    ])
    expect(fillMonths([{ month: 'oops', amount: '1.00' }], '2027-02')).toHaveLength(1)
  })

  it('labels months', () => {
    expect(monthLabel('2026-01')).toBe('Jan 2026')
    expect(monthLabel('bad')).toBe('bad')
  })
})
