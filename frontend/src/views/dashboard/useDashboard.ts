import { onBeforeUnmount, ref, shallowRef } from 'vue'
import { fetchDashboard, takePrefetchedDashboard } from '@/api/dashboard'
import { useRealtime } from '@/realtime/bus'
import type { Dashboard } from '@/types/dashboard'

/** Bursts of events (a submit sends a status update and a notification) make one refresh. */
export const REFRESH_DEBOUNCE_MS = 500

/**
 * The dashboard's data, kept current: loaded once, then refreshed quietly (no spinner,
 * no reload) when a status update or a notification arrives, or the socket reconnects.
 */
export function useDashboard() {
  const data = shallowRef<Dashboard | null>(null)
  const loading = ref(false)
  const failed = ref(false)
  let ticket = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let wasDisconnected = false

  async function load(quiet = false): Promise<void> {
    const mine = ++ticket
    if (!quiet) loading.value = true
    try {
      // The first load takes what the router prefetched; if that failed, ask (loudly) again.
      const early = quiet || data.value ? null : await takePrefetchedDashboard()
      // A quiet refresh that fails keeps the figures on screen and says nothing.
      const result = early ?? (await fetchDashboard({ silent: quiet }))
      if (mine !== ticket) return
      data.value = result.dashboard
      failed.value = false
    } catch {
      if (mine === ticket && !quiet) failed.value = true
    } finally {
      if (mine === ticket) loading.value = false
    }
  }

  function scheduleRefresh(): void {
    clearTimeout(timer)
    timer = setTimeout(() => void load(true), REFRESH_DEBOUNCE_MS)
  }

  useRealtime('status_update', scheduleRefresh)
  useRealtime('notification', scheduleRefresh)
  useRealtime('connection', ({ connected }) => {
    // Events pushed while the socket was down were lost: catch up once it is back.
    if (connected && wasDisconnected) scheduleRefresh()
    wasDisconnected = !connected
  })
  onBeforeUnmount(() => {
    clearTimeout(timer)
    ticket++
  })

  return { data, loading, failed, load, scheduleRefresh }
}
