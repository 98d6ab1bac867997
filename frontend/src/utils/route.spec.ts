import { describe, expect, it } from 'vitest'
import { allowedQueryList } from './route'

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
