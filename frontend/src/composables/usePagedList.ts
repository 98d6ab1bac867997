import { computed, getCurrentInstance, onMounted, reactive, ref, shallowRef, watch } from 'vue'
import { cleanQuery } from '@/api/http'
import type { ExportKind } from '@/api/exports'
import type { Pagination } from '@/types/api'
import { sortParam, type TableSort } from '@/utils/sort'
import { useStatusReload } from './useStatusReload'

export interface PagedResult<T> {
  items: T[]
  pagination: Pagination
}

/** A list endpoint's answer: the rows under their own name (`requisitions`), and the page. */
export function pageOf<K extends string, T>(
  data: Record<K, T[]> & { pagination: Pagination },
  key: K,
): PagedResult<T> {
  return { items: data[key], pagination: data.pagination }
}

export interface PagedListOptions<F> {
  /** Rows per page at first. */
  perPage?: number
  /**
   * Reload quietly when a status push concerns what the list shows: a resource name
   * (`'invoice'`) or a decision per push (see useStatusReload).
   */
  reloadOn?: Parameters<typeof useStatusReload>[0]
  /** Filters that widen rather than narrow (`include_inactive`): they do not count for `filtered`. */
  widening?: (keyof F)[]
  /**
   * The list can be exported (`<ExportButton v-bind="exporter" />`): its export kind and, if
   * the page turns its filters into the list's query before fetching, that same function.
   */
  exportAs?: { kind: ExportKind; query?: (filters: F) => object }
}

/** What ExportButton needs: the list's kind, its current query and how many rows match. */
export interface ListExporter {
  kind: ExportKind
  query: Record<string, unknown>
  total: number
  capped: boolean
}

/**
 * Page + filters + sort + loading state for a server-paginated table. Changing a filter
 * goes back to page 1; out-of-order responses are ignored. In a component it loads on
 * mount and, with `reloadOn`, after status pushes about what it shows.
 */
export function usePagedList<T, F extends object>(
  fetchPage: (params: F & { page: number; per_page: number }) => Promise<PagedResult<T>>,
  initialFilters: F,
  { perPage = 20, reloadOn, widening = [], exportAs }: PagedListOptions<F> = {},
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

  /** Whether a filter narrows the list (the empty table then says "no match", not "none yet"). */
  const filtered = computed(() =>
    Object.entries(filters).some(
      ([key, value]) => key !== 'sort' && !widening.includes(key as keyof F) && !!value,
    ),
  )

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

  /** For the table's `sort-change`: the column's sort, or the initial one once cleared. */
  function sortBy(sort: TableSort): void {
    const fallback = (initialFilters as { sort?: string }).sort ?? ''
    Object.assign(filters, { sort: sortParam(sort, fallback) })
  }

  /** Everything ListPagination binds, two-way: `<ListPagination v-bind="pager" />`. */
  const pager = reactive({
    page,
    pageSize,
    total,
    capped,
    'onUpdate:page': (value: number) => (page.value = value),
    'onUpdate:pageSize': (value: number) => (pageSize.value = value),
  })

  /** The export of exactly what the list shows: its filters and sort, never its page. */
  const exporter: ListExporter | null = exportAs
    ? reactive({
        kind: exportAs.kind,
        query: computed(() => {
          const current = { ...(filters as F) }
          return cleanQuery(exportAs.query ? exportAs.query(current) : current) ?? {}
        }),
        total,
        capped,
      })
    : null

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

  if (getCurrentInstance()) {
    onMounted(() => void load())
    if (reloadOn) useStatusReload(reloadOn, load)
  }

  return {
    filters,
    items,
    page,
    pageSize,
    total,
    capped,
    loading,
    failed,
    filtered,
    pager,
    exporter,
    load,
    reset,
    sortBy,
  }
}
