import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as inboxApi from '@/api/inbox'
import type { InboxPage } from '@/types/inbox'
import { useApprovalsStore } from './approvals'

vi.mock('@/api/inbox', () => ({ listInbox: vi.fn() }))

const page = (total: number): InboxPage => ({
  items: [],
  counts: {},
  pagination: { page: 1, per_page: 1, total, pages: total },
})

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(inboxApi.listInbox).mockReset()
})

describe('approvals store', () => {
  it('counts the inbox with one tiny page', async () => {
    vi.mocked(inboxApi.listInbox).mockResolvedValue(page(12))
    const store = useApprovalsStore()
    await store.refreshCount()
    expect(store.pendingCount).toBe(12)
    expect(inboxApi.listInbox).toHaveBeenCalledWith({ page: 1, per_page: 1 }, { silent: true })
  })

  it('shows no badge when the inbox cannot be read', async () => {
    vi.mocked(inboxApi.listInbox).mockRejectedValue(new Error('offline'))
    const store = useApprovalsStore()
    await store.refreshCount()
    expect(store.pendingCount).toBeNull()
  })

  it("takes the inbox list's total over a count still in flight", async () => {
    let release!: (value: InboxPage) => void
    vi.mocked(inboxApi.listInbox).mockImplementation(
      () => new Promise((resolve) => (release = resolve)),
    )
    const store = useApprovalsStore()
    const counting = store.refreshCount()
    store.setPendingCount(3)
    release(page(9))
    await counting
    expect(store.pendingCount).toBe(3)
  })
})
