import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { bus } from '@/realtime/bus'
import type { StatusUpdate } from '@/types/notifications'
import { useStatusReload } from './useStatusReload'

function update(resource: string, id = 1): StatusUpdate {
  return { resource, resource_id: id, number: 'X-1', status: 'Approved', timestamp: '' }
}

function host(concerns: Parameters<typeof useStatusReload>[0]) {
  const reload = vi.fn()
  const wrapper = mount(
    defineComponent({
      setup() {
        useStatusReload(concerns, reload)
        return () => null
      },
    }),
  )
  return { reload, wrapper }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  bus.clear()
})

describe('useStatusReload', () => {
  it('reloads once, half a second after the last push about its resource', () => {
    const { reload } = host('invoice')
    bus.emit('status_update', update('invoice', 1))
    vi.advanceTimersByTime(300)
    bus.emit('status_update', update('invoice', 2))
    vi.advanceTimersByTime(499)
    expect(reload).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(reload).toHaveBeenCalledOnce()
  })

  it('ignores pushes about other resources', () => {
    const { reload } = host('invoice')
    bus.emit('status_update', update('purchase_order'))
    vi.runAllTimers()
    expect(reload).not.toHaveBeenCalled()
  })

  it('lets the view decide per push', () => {
    let dialogOpen = true
    const { reload } = host((event) => event.resource === 'requisition' && !dialogOpen)
    bus.emit('status_update', update('requisition'))
    vi.runAllTimers()
    expect(reload).not.toHaveBeenCalled()
    dialogOpen = false
    bus.emit('status_update', update('requisition'))
    vi.runAllTimers()
    expect(reload).toHaveBeenCalledOnce()
  })

  it('stops listening and drops a pending reload when the view goes away', () => {
    const { reload, wrapper } = host('invoice')
    bus.emit('status_update', update('invoice'))
    wrapper.unmount()
    bus.emit('status_update', update('invoice'))
    vi.runAllTimers()
    expect(reload).not.toHaveBeenCalled()
  })
})
