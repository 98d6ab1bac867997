import { ref, shallowRef } from 'vue'

/**
 * Options for a remote `<el-select>`: the latest answer wins, failures leave the
 * list empty (pickers are optional helpers, never the reason a form breaks).
 */
export function useRemoteSearch<T extends { id: number }>(fetch: (q: string) => Promise<T[]>) {
  const options = shallowRef<T[]>([])
  const loading = ref(false)
  let ticket = 0

  async function search(q = ''): Promise<void> {
    const mine = ++ticket
    loading.value = true
    try {
      const found = await fetch(q.trim())
      if (mine === ticket) options.value = found
    } catch {
      if (mine === ticket) options.value = []
    } finally {
      if (mine === ticket) loading.value = false
    }
  }

  /** Keeps a known record among the options (so the select shows its label, not its id). */
  function include(record: T | null | undefined): void {
    if (record && !options.value.some((o) => o.id === record.id)) {
      options.value = [record, ...options.value]
    }
  }

  return { options, loading, search, include }
}
