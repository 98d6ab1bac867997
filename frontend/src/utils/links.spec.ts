import { afterEach, describe, expect, it, vi } from 'vitest'
import { followInApp } from './links'

afterEach(() => vi.unstubAllGlobals())

describe('followInApp', () => {
  it('routes an in-app path and downloads an API file (an export ready notification)', () => {
    const push = vi.fn(async () => undefined)
    const assign = vi.fn()
    vi.stubGlobal('location', { assign })
    followInApp('/invoices/3', push)
    followInApp('/api/v1/exports/7/file', push)
    expect(push).toHaveBeenCalledExactlyOnceWith('/invoices/3')
    expect(assign).toHaveBeenCalledExactlyOnceWith('/api/v1/exports/7/file')
  })
})
