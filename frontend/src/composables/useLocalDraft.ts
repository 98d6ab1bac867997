import { getCurrentInstance, onBeforeUnmount, type Ref, watch } from 'vue'

const PREFIX = 'reqflow:draft:'

export interface StoredDraft<T> {
  savedAt: string
  data: T
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage
  } catch {
    return null // storage disabled (private mode, policy): no autosave, nothing breaks
  }
}

/**
 * A form's content kept in this browser while it is being edited, so that a reload, a closed
 * tab or an ended session loses nothing. `key` names the form and its user (null: off).
 * `start()` begins saving (debounced, only while `dirty`; a clean form forgets its draft),
 * `restore()` reads what was left, `clear()` forgets it (after a save or a discard).
 */
export function useLocalDraft<T>(
  key: string | null,
  read: () => T,
  dirty: Ref<boolean>,
  delay = 400,
) {
  const name = key ? PREFIX + key : null
  let timer: ReturnType<typeof setTimeout> | undefined
  let stop: (() => void) | null = null

  function restore(): StoredDraft<T> | null {
    const raw = name ? storage()?.getItem(name) : null
    if (!raw) return null
    try {
      const parsed = JSON.parse(raw) as StoredDraft<T>
      return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed : null
    } catch {
      return null
    }
  }

  function clear(): void {
    clearTimeout(timer)
    if (name) storage()?.removeItem(name)
  }

  /** Writes now (or forgets, when the form is back to what it was). */
  function flush(): void {
    clearTimeout(timer)
    if (!name || !stop) return
    if (!dirty.value) return clear()
    const draft: StoredDraft<T> = { savedAt: new Date().toISOString(), data: read() }
    try {
      storage()?.setItem(name, JSON.stringify(draft))
    } catch {
      // quota full: the unsaved-changes guard still protects the work
    }
  }

  function start(): void {
    if (stop || !name) return
    const unwatch = watch(
      () => JSON.stringify(read()),
      () => {
        clearTimeout(timer)
        timer = setTimeout(flush, delay)
      },
    )
    window.addEventListener('pagehide', flush)
    stop = () => {
      unwatch()
      window.removeEventListener('pagehide', flush)
    }
  }

  /** No more saving (the form was saved or left); what is stored stays unless cleared. */
  function pause(): void {
    clearTimeout(timer)
    stop?.()
    stop = null
  }

  if (getCurrentInstance()) {
    onBeforeUnmount(() => {
      flush()
      pause()
    })
  }

  return { restore, start, pause, clear, flush }
}
