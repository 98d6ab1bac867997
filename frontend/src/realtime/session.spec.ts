import { afterEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { startRealtime, stopRealtime } from './socket'
import { connectWhileSignedIn } from './session'

vi.mock('./socket', () => ({ startRealtime: vi.fn(), stopRealtime: vi.fn() }))

let stop: () => void = () => undefined

afterEach(() => {
  stop()
  vi.mocked(startRealtime).mockClear()
  vi.mocked(stopRealtime).mockClear()
})

describe('connectWhileSignedIn', () => {
  it('opens the socket on sign-in and closes it on sign-out', async () => {
    const signedIn = ref(false)
    stop = connectWhileSignedIn(() => signedIn.value)
    signedIn.value = true
    await vi.waitFor(() => expect(startRealtime).toHaveBeenCalledOnce())
    expect(stopRealtime).not.toHaveBeenCalled()
    signedIn.value = false
    await vi.waitFor(() => expect(stopRealtime).toHaveBeenCalledOnce())
  })

  it('closes again after a sign-in and sign-out in the same tick', async () => {
    const signedIn = ref(false)
    stop = connectWhileSignedIn(() => signedIn.value)
    signedIn.value = true
    signedIn.value = false
    await vi.waitFor(() => expect(stopRealtime).toHaveBeenCalledOnce())
    expect(startRealtime).toHaveBeenCalledOnce()
    expect(vi.mocked(startRealtime).mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(stopRealtime).mock.invocationCallOrder[0]!,
    )
  })
})
