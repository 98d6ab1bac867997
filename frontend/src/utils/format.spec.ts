import { describe, expect, it } from 'vitest'
import { dayRangeBounds, toApiTime } from './format'

describe('dayRangeBounds', () => {
  it('spans whole local days, from the first start to the last end', () => {
    const bounds = dayRangeBounds([new Date(2026, 2, 1, 15, 30), new Date(2026, 2, 3, 8, 0)])
    expect(bounds).toEqual({
      from: toApiTime(new Date(2026, 2, 1, 0, 0, 0)),
      to: toApiTime(new Date(2026, 2, 3, 23, 59, 59)),
    })
    expect(bounds.from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  })

  it('clears both bounds once the range is cleared', () => {
    expect(dayRangeBounds(null)).toEqual({ from: '', to: '' })
  })
})
