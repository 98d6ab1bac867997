import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import * as requisitionsApi from '@/api/requisitions'
import { ApiError } from '@/api/errors'
import { bus } from '@/realtime/bus'
import type { RequisitionDetail } from '@/types/requisitions'
import { useRequisitionsStore } from './requisitions'

vi.mock('@/api/requisitions', async (original) => ({
  ...(await original<typeof import('@/api/requisitions')>()),
  getRequisition: vi.fn(),
  transitionRequisition: vi.fn(),
  deleteRequisition: vi.fn(() => Promise.resolve()),
}))

const record = (over: Partial<RequisitionDetail> = {}) =>
  ({
    id: 7,
    req_number: 'REQ-2026-00007',
    status: 'Submitted',
    version: 3,
    items: [],
    approvals: [],
    allowed_actions: ['approve', 'reject', 'question'],
    ...over,
  }) as unknown as RequisitionDetail

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(requisitionsApi.getRequisition).mockReset()
  vi.mocked(requisitionsApi.transitionRequisition).mockReset()
})

describe('requisitions store', () => {
  it('loads a requisition and offers what the server allows', async () => {
    vi.mocked(requisitionsApi.getRequisition).mockResolvedValue(record())
    const store = useRequisitionsStore()
    await store.load(7)
    expect(store.current?.req_number).toBe('REQ-2026-00007')
    expect(store.can('approve')).toBe(true)
    expect(store.can('edit')).toBe(false)
    expect(store.loading).toBe(false)
  })

  it('hides whether a record exists when it is not visible', async () => {
    vi.mocked(requisitionsApi.getRequisition).mockRejectedValue(
      new ApiError(404, 'NOT_FOUND', 'Not found'),
    )
    const store = useRequisitionsStore()
    await store.load(8)
    expect(store.loadError).toBe('not-found')
    expect(store.current).toBeNull()
  })

  it('decides with the loaded version and keeps the answer', async () => {
    vi.mocked(requisitionsApi.getRequisition).mockResolvedValue(record())
    vi.mocked(requisitionsApi.transitionRequisition).mockResolvedValue({
      requisition: record({ status: 'Rejected', version: 4, allowed_actions: [] }),
      message: 'Requisition rejected',
    })
    const store = useRequisitionsStore()
    await store.load(7)
    await expect(store.transition('reject', 'Too expensive')).resolves.toBe('Requisition rejected')
    expect(requisitionsApi.transitionRequisition).toHaveBeenCalledWith(
      7,
      'reject',
      { version: 3, reason: 'Too expensive' },
      { silent: true },
    )
    expect(store.current?.status).toBe('Rejected')
    expect(store.can('reject')).toBe(false)
  })

  it('rethrows a stale-version refusal and keeps showing the record', async () => {
    vi.mocked(requisitionsApi.getRequisition).mockResolvedValue(record())
    vi.mocked(requisitionsApi.transitionRequisition).mockRejectedValue(
      new ApiError(409, 'STALE_VERSION', 'The record was changed by someone else'),
    )
    const store = useRequisitionsStore()
    await store.load(7)
    await expect(store.transition('approve')).rejects.toMatchObject({ code: 'STALE_VERSION' })
    expect(store.current?.status).toBe('Submitted')
  })

  it('lets a newer answer win over an older reload', async () => {
    let release!: (r: RequisitionDetail) => void
    vi.mocked(requisitionsApi.getRequisition)
      .mockResolvedValueOnce(record())
      .mockImplementationOnce(() => new Promise((resolve) => (release = resolve)))
    vi.mocked(requisitionsApi.transitionRequisition).mockResolvedValue({
      requisition: record({ status: 'Approved', version: 4 }),
      message: 'Requisition approved',
    })
    const store = useRequisitionsStore()
    await store.load(7)
    const reload = store.load(7, { quiet: true })
    await store.transition('approve')
    release(record({ status: 'Submitted', version: 3 }))
    await reload
    expect(store.current?.status).toBe('Approved')
  })

  it('follows the page: shows a decision pushed from elsewhere, forgets the record on leave', async () => {
    vi.mocked(requisitionsApi.getRequisition)
      .mockResolvedValueOnce(record())
      .mockResolvedValueOnce(record({ status: 'Approved', version: 4 }))
    const store = useRequisitionsStore()
    const page = mount(
      defineComponent({
        setup() {
          store.follow(() => 7)
          return () => null
        },
      }),
    )
    await flushPromises()
    bus.emit('status_update', {
      resource: 'requisition',
      resource_id: 7,
      number: 'REQ-2026-00007',
      status: 'Approved',
      timestamp: '',
    })
    await flushPromises()
    expect(requisitionsApi.getRequisition).toHaveBeenLastCalledWith(7, { silent: true })
    expect(store.current?.status).toBe('Approved')
    page.unmount()
    expect(store.current).toBeNull()
    bus.clear()
  })
})
