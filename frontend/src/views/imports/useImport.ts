import { onBeforeUnmount, ref, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { commitImport, getImport, isRunning, uploadImport } from '@/api/imports'
import { bus } from '@/realtime/bus'
import type { ImportJob } from '@/types/imports'

const POLL_MS = 2000

/** One import followed live: pushes move the progress bar, a slow poll catches a missed push,
 *  and the import's id in the URL (?id=) brings it back after a reload. */
export function useImport() {
  const route = useRoute()
  const router = useRouter()
  const job = ref<ImportJob | null>(null)
  const busy = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined

  async function refresh(id: number): Promise<void> {
    job.value = await getImport(id, { silent: true })
    schedule()
  }

  function schedule(): void {
    clearTimeout(timer)
    if (isRunning(job.value)) timer = setTimeout(() => void refresh(job.value!.id), POLL_MS)
  }

  function follow(next: ImportJob): void {
    job.value = next
    void router.replace({ query: { ...route.query, id: String(next.id) } })
    schedule()
  }

  const stop = bus.on('progress', (payload) => {
    const current = job.value
    if (!current || payload.job_id !== `import:${current.id}`) return
    current.progress = { done: payload.done, total: payload.total, phase: payload.state }
    if (['validated', 'committed', 'failed'].includes(payload.state)) void refresh(current.id)
  })

  async function upload(kind: string, file: File): Promise<void> {
    busy.value = true
    try {
      follow(await uploadImport(kind, file))
    } finally {
      busy.value = false
    }
  }

  async function commit(): Promise<void> {
    if (!job.value) return
    busy.value = true
    try {
      follow(await commitImport(job.value.id))
    } finally {
      busy.value = false
    }
  }

  function reset(): void {
    clearTimeout(timer)
    job.value = null
    void router.replace({ query: { ...route.query, id: undefined } })
  }

  watch(
    () => route.query.id,
    (id) => {
      if (id && Number(id) !== job.value?.id) void refresh(Number(id))
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    clearTimeout(timer)
    stop()
  })
  return { job, busy, upload, commit, reset }
}
