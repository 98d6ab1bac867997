import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchDashboard, prefetchDashboard, takePrefetchedDashboard } from './dashboard'
import { http } from './http'

const answer = { success: true, data: { dashboard: { role: 'Engineer', approvals_waiting: 2 } } }

afterEach(() => {
  vi.useRealTimers()
  takePrefetchedDashboard()
})

describe('dashboard API', () => {
  it('hands a prefetched answer over once', async () => {
    const request = vi.spyOn(http, 'request').mockResolvedValue({ status: 200, data: answer })
    prefetchDashboard()
    await expect(takePrefetchedDashboard()).resolves.toEqual(answer.data)
    expect(takePrefetchedDashboard()).toBeNull()
    expect(request).toHaveBeenCalledTimes(1)
    expect(request.mock.calls[0]?.[0]).toMatchObject({ url: '/dashboard', silent: true })
  })

  it('drops a stale prefetch', () => {
    vi.useFakeTimers()
    vi.spyOn(http, 'request').mockResolvedValue({ status: 200, data: answer })
    prefetchDashboard()
    vi.advanceTimersByTime(6000)
    expect(takePrefetchedDashboard()).toBeNull()
  })

  it('turns a failed prefetch into null, so the view asks again', async () => {
    vi.spyOn(http, 'request').mockRejectedValue(new Error('offline'))
    prefetchDashboard()
    await expect(takePrefetchedDashboard()).resolves.toBeNull()
    vi.spyOn(http, 'request').mockResolvedValue({ status: 200, data: answer })
    await expect(fetchDashboard()).resolves.toEqual(answer.data)
  })
})
