import { describe, expect, it } from 'vitest'
import { ApiError, flattenDetails } from './errors'

describe('error details', () => {
  it('keeps the raw nested details next to the flat field messages', () => {
    const details = { items: { '0': { quantity: ['Too small'] } }, purpose: ['Required'] }
    const error = new ApiError(422, 'VALIDATION_ERROR', 'Invalid', details)
    expect(error.rawDetails).toBe(details)
    expect(error.fieldError('purpose')).toBe('Required')
  })

  it('flattens nested details to dotted paths', () => {
    expect(
      flattenDetails({
        policies: { '0': { steps: { '1': { role: ['A role step names a role.'] } } } },
        name: ['Required', 'Too long'],
      }),
    ).toEqual({
      'policies.0.steps.1.role': 'A role step names a role.',
      name: 'Required Too long',
    })
    expect(flattenDetails(null)).toEqual({})
    expect(flattenDetails({ _schema: 'Bad' })).toEqual({ _schema: 'Bad' })
  })
})
