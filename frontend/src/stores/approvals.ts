import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listInbox } from '@/api/inbox'

/** The inbox count behind the menu badge: one cheap `per_page=1` request. */
export const useApprovalsStore = defineStore('approvals', () => {
  /** null until known (or when the inbox cannot be read). */
  const pendingCount = ref<number | null>(null)
  let ticket = 0

  function setPendingCount(total: number | null): void {
    ticket++ // a newer list answer wins over a count still in flight
    pendingCount.value = total
  }

  async function refreshCount(): Promise<void> {
    const mine = ++ticket
    try {
      const data = await listInbox({ page: 1, per_page: 1 }, { silent: true })
      if (mine === ticket) pendingCount.value = data.pagination?.total ?? data.items.length
    } catch {
      if (mine === ticket) pendingCount.value = null
    }
  }

  function reset(): void {
    setPendingCount(null)
  }

  return { pendingCount, setPendingCount, refreshCount, reset }
})
