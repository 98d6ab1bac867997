import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, nextTick, ref } from 'vue'
import { ApiError } from '@/api/errors'
import { bus } from '@/realtime/bus'
import type { StatusUpdate } from '@/types/notifications'
import { useDetail, type DetailOptions } from './useDetail'

interface Doc {
  id: number
  version: number
  status: string
  allowed_actions: ('approve' | 'reject')[]
}

const doc = (over: Partial<Doc> = {}): Doc => ({
  id: 7,
  version: 3,
  status: 'Submitted',
  allowed_actions: ['approve'],
  ...over,
})

function update(resource: string, id: number): StatusUpdate {
  return { resource, resource_id: id, number: 'X-1', status: 'Approved', timestamp: '' }
}

function detail(
  fetch = vi.fn(async (id: number) => doc({ id })),
  over: Partial<DetailOptions<Doc>> = {},
) {
  return { fetch, ...useDetail<Doc>({ what: 'document', fetch, reloadOn: 'doc', ...over }) }
}

afterEach(() => bus.clear())

describe('useDetail: loading', () => {
  it('loads a record and offers what the server allows', async () => {
    const d = detail()
    const pending = d.load(7)
    expect(d.loading.value).toBe(true)
    await pending
    expect(d.current.value?.id).toBe(7)
    expect(d.can('approve')).toBe(true)
    expect(d.can('reject')).toBe(false)
    expect(d.loading.value).toBe(false)
  })

  it('tells a hidden record from a failed load; a quiet reload keeps what is shown', async () => {
    const fetch = vi.fn<(id: number) => Promise<Doc>>()
    const d = detail(fetch)
    fetch.mockRejectedValueOnce(new ApiError(403, 'FORBIDDEN', 'No'))
    await d.load(7)
    expect(d.loadError.value).toBe('not-found')
    fetch.mockRejectedValueOnce(new ApiError(0, 'NETWORK_ERROR', 'Offline'))
    await d.load(7)
    expect(d.loadError.value).toBe('failed')
    fetch.mockResolvedValueOnce(doc())
    await d.load(7)
    fetch.mockRejectedValueOnce(new ApiError(0, 'NETWORK_ERROR', 'Offline'))
    await d.load(7, { quiet: true })
    expect([d.current.value?.status, d.loadError.value]).toEqual(['Submitted', ''])
  })
})

describe('useDetail: calls that answer with the record', () => {
  it('calls with the loaded version and replaces the record with the answer', async () => {
    const d = detail()
    await d.load(7)
    const call = vi.fn(async (record: Doc) => ({
      doc: doc({
        id: record.id,
        version: record.version + 1,
        status: 'Approved',
        allowed_actions: [],
      }),
      message: 'Approved',
    }))
    const answer = await d.apply(call, (a) => a.doc)
    expect(call).toHaveBeenCalledWith(expect.objectContaining({ id: 7, version: 3 }))
    expect(answer.message).toBe('Approved')
    expect(d.current.value).toMatchObject({ status: 'Approved', version: 4 })
    expect(d.can('approve')).toBe(false)
  })

  it('returns the message of the usual { record, message } answer', async () => {
    const d = detail()
    await d.load(7)
    const message = await d.run(
      async () => ({ doc: doc({ status: 'Rejected', version: 4 }), message: 'Rejected' }),
      (a) => a.doc,
    )
    expect([message, d.current.value?.status]).toEqual(['Rejected', 'Rejected'])
  })

  it('lets the answer win over an older reload still in flight', async () => {
    let release!: (value: Doc) => void
    const fetch = vi.fn<(id: number) => Promise<Doc>>().mockResolvedValueOnce(doc())
    const d = detail(fetch)
    await d.load(7)
    fetch.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)))
    const reload = d.load(7)
    await d.apply(
      async () => doc({ status: 'Approved', version: 4 }),
      (a) => a,
    )
    expect(d.loading.value).toBe(false)
    release(doc())
    await reload
    expect(d.current.value?.status).toBe('Approved')
  })

  it('rethrows a refusal and keeps showing the record; refuses with nothing loaded', async () => {
    const d = detail()
    await expect(
      d.apply(
        async () => doc(),
        (a) => a,
      ),
    ).rejects.toThrow('No document loaded')
    await d.load(7)
    const stale = new ApiError(409, 'STALE_VERSION', 'Changed by someone else')
    await expect(
      d.apply(
        () => Promise.reject(stale),
        (a: Doc) => a,
      ),
    ).rejects.toBe(stale)
    expect(d.current.value?.status).toBe('Submitted')
  })
})

describe('useDetail: follow', () => {
  function page(d: ReturnType<typeof detail>, id = ref(7)) {
    const wrapper = mount(
      defineComponent({
        setup() {
          d.follow(() => id.value)
          return () => null
        },
      }),
    )
    return { wrapper, id }
  }

  it('loads the page id, and the next one when it changes', async () => {
    const d = detail()
    const { id } = page(d)
    await flushPromises()
    expect(d.current.value?.id).toBe(7)
    id.value = 8
    await nextTick()
    await flushPromises()
    expect(d.fetch).toHaveBeenLastCalledWith(8)
    expect(d.current.value?.id).toBe(8)
  })

  it('reloads quietly on a push about the open record only', async () => {
    const d = detail()
    page(d)
    await flushPromises()
    d.fetch.mockResolvedValueOnce(doc({ status: 'Approved', version: 4 }))
    bus.emit('status_update', update('doc', 8))
    bus.emit('status_update', update('other', 7))
    expect(d.fetch).toHaveBeenCalledTimes(1)
    bus.emit('status_update', update('doc', 7))
    expect(d.loading.value).toBe(false) // quiet: the page does not blink
    await flushPromises()
    expect(d.current.value?.status).toBe('Approved')
  })

  it('lets the store decide per push, seeing the open record', async () => {
    const d = detail(undefined, {
      reloadOn: (event, _id, current) => event.resource === 'po' && current?.status === 'Submitted',
    })
    page(d)
    await flushPromises()
    bus.emit('status_update', update('po', 99))
    expect(d.fetch).toHaveBeenCalledTimes(2)
  })

  it('forgets the record and stops listening when the page goes', async () => {
    const d = detail()
    const { wrapper } = page(d)
    await flushPromises()
    wrapper.unmount()
    expect(d.current.value).toBeNull()
    bus.emit('status_update', update('doc', 7))
    expect(d.fetch).toHaveBeenCalledTimes(1)
  })
})
