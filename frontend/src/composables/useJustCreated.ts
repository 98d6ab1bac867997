import { computed, shallowRef, watch, type Ref } from 'vue'

/**
 * A record its user has just created stays in sight: it is shown first on the list (marked
 * "New", highlighted) whatever the sort and page, until the user changes a filter, the page
 * or the sort — then the list is the server's again.
 */
export function useJustCreated<T extends { id: number }>(items: Ref<T[]>, resetOn: () => unknown) {
  const created = shallowRef<T | null>(null)

  const rows = computed<T[]>(() => {
    const pinned = created.value
    if (!pinned) return items.value
    const fresh = items.value.find((row) => row.id === pinned.id) ?? pinned
    return [fresh, ...items.value.filter((row) => row.id !== pinned.id)]
  })

  function isNew(row: unknown): boolean {
    return created.value !== null && (row as { id?: unknown }).id === created.value.id
  }

  /** For `<el-table :row-class-name>`. */
  function rowClass({ row }: { row: unknown }): string {
    return isNew(row) ? 'just-created' : ''
  }

  watch(resetOn, () => (created.value = null), { deep: true })

  return { created, rows, isNew, rowClass }
}
