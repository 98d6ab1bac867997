import { reactive, ref, shallowRef, watch } from 'vue'
import type { Pagination } from '@/types/api'

export interface PagedResult<T> {
  items: T[]
  pagination: Pagination
}

/**
 * Page + filters + loading state for a server-paginated table. Changing a filter
 * goes back to page 1; out-of-order responses are ignored.
 */
export function usePagedList<T, F extends object>(
  fetchPage: (params: F & { page: number; per_page: number }) => Promise<PagedResult<T>>,
  initialFilters: F,
  perPage = 20,
) {
  const filters = reactive({ ...initialFilters }) as F
  const items = shallowRef<T[]>([])
  const page = ref(1)
  const pageSize = ref(perPage)
  const total = ref(0)
  /** The server stopped counting at its cap: `total` is a floor, not the exact count. */
  const capped = ref(false)
  const loading = ref(false)
  const failed = ref(false)
  let ticket = 0

  async function load(): Promise<void> {
    const mine = ++ticket
    loading.value = true
    failed.value = false
    try {
      const result = await fetchPage({
        ...(filters as F),
        page: page.value,
        per_page: pageSize.value,
      })
      if (mine !== ticket) return
      items.value = result.items
      total.value = result.pagination.total
      capped.value = result.pagination.total_capped === true
    } catch {
      if (mine === ticket) failed.value = true
    } finally {
      if (mine === ticket) loading.value = false
    }
  }

  function reset(): void {
    Object.assign(filters, initialFilters)
  }

  watch(
    () => ({ ...filters }),
    () => {
      if (page.value !== 1)
        page.value = 1 // the page watcher loads
      else void load()
    },
    { deep: true },
  )
  watch([page, pageSize], () => void load())

  return { filters, items, page, pageSize, total, capped, loading, failed, load, reset }
}
