import { describe, expect, it } from 'vitest'
import { allowedQueryList, queryId } from './route'

const STATUSES = ['Draft', 'Pending Approval', 'Approved'] as const

describe('allowedQueryList', () => {
  it('keeps known values in the order given, once each', () => {
    expect(allowedQueryList('Approved,Draft,Approved', STATUSES)).toBe('Approved,Draft')
    expect(allowedQueryList(['Draft', 'Pending Approval'], STATUSES)).toBe('Draft,Pending Approval')
  })

  it('drops unknown, empty and missing values', () => {
    expect(allowedQueryList('Shipped, Draft ,', STATUSES)).toBe('Draft')
    expect(allowedQueryList(undefined, STATUSES)).toBe('')
    expect(allowedQueryList(null, STATUSES)).toBe('')
    expect(allowedQueryList('<script>', STATUSES)).toBe('')
  })
})

describe('queryId', () => {
  it('reads a positive integer id', () => {
    expect(queryId('42')).toBe(42)
    expect(queryId(['7', '8'])).toBe(7)
  })

  it('is null for anything else', () => {
    for (const value of [undefined, null, '', '0', '-3', '1.5', 'abc', '12abc']) {
      expect(queryId(value)).toBeNull()
    }
  })
})
