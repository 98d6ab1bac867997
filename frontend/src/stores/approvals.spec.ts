import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as approvalsApi from '@/api/approvals'
import type { InboxList } from '@/types/approvals'
import { useApprovalsStore } from './approvals'

vi.mock('@/api/approvals', () => ({ listPendingApprovals: vi.fn() }))

const page = (total: number): InboxList => ({
  approvals: [],
  pagination: { page: 1, per_page: 1, total, pages: total },
})

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(approvalsApi.listPendingApprovals).mockReset()
})

describe('approvals store', () => {
  it('counts the inbox with one tiny page', async () => {
    vi.mocked(approvalsApi.listPendingApprovals).mockResolvedValue(page(12))
    const store = useApprovalsStore()
    await store.refreshCount()
    expect(store.pendingCount).toBe(12)
    expect(approvalsApi.listPendingApprovals).toHaveBeenCalledWith(
      { page: 1, per_page: 1 },
      { silent: true },
    )
  })

  it('shows no badge when the inbox cannot be read', async () => {
    vi.mocked(approvalsApi.listPendingApprovals).mockRejectedValue(new Error('offline'))
    const store = useApprovalsStore()
    await store.refreshCount()
    expect(store.pendingCount).toBeNull()
  })

  it("takes the inbox list's total over a count still in flight", async () => {
    let release!: (value: InboxList) => void
    vi.mocked(approvalsApi.listPendingApprovals).mockImplementation(
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
