import { onBeforeUnmount } from 'vue'
import { useRealtime } from '@/realtime/bus'
import type { StatusUpdate } from '@/types/notifications'

/**
 * Reload a list quietly when someone else changes the status of what it shows: a burst of
 * pushes becomes one reload, `delay` ms after the last. `concerns` names the resource
 * (`'invoice'`) or decides per event.
 */
export function useStatusReload(
  concerns: string | ((event: StatusUpdate) => boolean),
  reload: () => unknown,
  delay = 500,
): void {
  const matches =
    typeof concerns === 'string' ? (event: StatusUpdate) => event.resource === concerns : concerns
  let timer: ReturnType<typeof setTimeout> | undefined
  useRealtime('status_update', (event) => {
    if (!matches(event)) return
    clearTimeout(timer)
    timer = setTimeout(() => void reload(), delay)
  })
  onBeforeUnmount(() => clearTimeout(timer))
}
