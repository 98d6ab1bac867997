import { describe, expect, it } from 'vitest'
import { sortParam } from './sort'

describe('sortParam', () => {
  it('turns a table sort into the API sort parameter', () => {
    expect(sortParam({ prop: 'total_amount', order: 'descending' }, '-created_at')).toBe(
      '-total_amount',
    )
    expect(sortParam({ prop: 'needed_by', order: 'ascending' }, '-created_at')).toBe('needed_by')
  })

  it('falls back once the sort is cleared', () => {
    expect(sortParam({ prop: 'needed_by', order: null }, '-created_at')).toBe('-created_at')
    expect(sortParam({ prop: null, order: null }, 'needed_by')).toBe('needed_by')
  })
})
