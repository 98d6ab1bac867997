import {
  computed,
  reactive,
  shallowRef,
  watch,
  type ShallowRef,
  type WritableComputedRef,
} from 'vue'
import { useRoute, useRouter, type LocationQuery } from 'vue-router'

export type Filters = Record<string, string>

/** The filters as they appear in a URL: only the set ones. */
export function toQuery(filters: Filters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''))
}

/** The filters read from a URL query: every known key, '' when absent. */
export function fromQuery(query: LocationQuery, defaults: Filters): Filters {
  const out: Filters = { ...defaults }
  for (const key of Object.keys(defaults)) {
    const value = query[key]
    const first = Array.isArray(value) ? value[0] : value
    if (typeof first === 'string' && first !== '') out[key] = first
  }
  return out
}

/** An id filter (kept as a string in the URL) as the number | null a picker edits. */
export function idFilter(filters: Filters, key: string): WritableComputedRef<number | null> {
  return computed({
    get: () => (filters[key] ? Number(filters[key]) : null),
    set: (id) => (filters[key] = id === null || id === undefined ? '' : String(id)),
  })
}

/**
 * Report filters kept in the URL query (a link to the page shows the same report): the
 * filters start from the URL, and every change replaces the URL and calls `load`.
 */
export function useReportQuery(defaults: Filters, load: (filters: Filters) => void): Filters {
  const route = useRoute()
  const router = useRouter()
  const filters = reactive(fromQuery(route.query, defaults))
  watch(
    () => ({ ...filters }),
    (value) => {
      void router.replace({ query: toQuery(value) })
      load(value)
    },
    { immediate: true },
  )
  return filters
}

/**
 * A report page's data: the filters kept in the URL (see `useReportQuery`) and the report
 * fetched for them; an answer to an older filter set never overwrites a newer one.
 */
export function useReport<T>(
  defaults: Filters,
  fetch: (filters: Filters) => Promise<T>,
): { filters: Filters; report: ShallowRef<T | null>; failed: ShallowRef<boolean> } {
  const report = shallowRef<T | null>(null) as ShallowRef<T | null>
  const failed = shallowRef(false)
  let ticket = 0
  async function load(params: Filters): Promise<void> {
    const mine = ++ticket
    try {
      const data = await fetch(params)
      if (mine === ticket) [report.value, failed.value] = [data, false]
    } catch {
      if (mine === ticket) failed.value = true
    }
  }
  const filters = useReportQuery(defaults, (f) => void load(f))
  return { filters, report, failed }
}
