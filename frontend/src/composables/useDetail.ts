import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import { isApiError } from '@/api/errors'
import { useRealtime } from '@/realtime/bus'
import type { StatusUpdate } from '@/types/notifications'

/** 'not-found' covers 404 and 403: never reveal what the caller may not see. */
export type LoadError = '' | 'not-found' | 'failed'

/** What a detail record carries: its id, its `version` and the actions the server allows. */
export interface DetailRecord {
  id: number
  version: number
  allowed_actions: readonly string[]
}

export interface DetailOptions<T extends DetailRecord> {
  /** What the record is called, for the error when nothing is loaded ("requisition"). */
  what: string
  /** Fetches one record, silently: the page shows its own error. */
  fetch: (id: number) => Promise<T>
  /**
   * The status pushes that show the open record changed elsewhere: a resource name
   * (`'invoice'`, matched with the open id), or a decision per push.
   */
  reloadOn: string | ((event: StatusUpdate, id: number, current: T | null) => boolean)
}

/**
 * One record open on a detail page: load by id (or reload quietly, keeping what is shown),
 * loading and error state, the allowed actions, and calls that answer with the record
 * (transitions, edits) replacing it. A newer answer always wins over an older load.
 * Works in a setup store or in a component; `follow` belongs in the page's setup.
 */
export function useDetail<T extends DetailRecord>(options: DetailOptions<T>) {
  type Action = T['allowed_actions'][number]
  const current = shallowRef<T | null>(null)
  const loading = ref(false)
  const loadError = ref<LoadError>('')
  let ticket = 0

  const allowed = computed(() => new Set<Action>(current.value?.allowed_actions ?? []))

  function can(action: Action): boolean {
    return allowed.value.has(action)
  }

  /** Loads (or with `quiet`, reloads keeping what is shown and any error unsaid) one record. */
  async function load(id: number, { quiet = false } = {}): Promise<T | null> {
    const mine = ++ticket
    if (!quiet) {
      loading.value = true
      if (current.value?.id !== id) current.value = null
    }
    try {
      const detail = await options.fetch(id)
      if (mine === ticket) {
        current.value = detail
        loadError.value = ''
      }
      return detail
    } catch (error) {
      if (mine === ticket && !quiet) {
        const hidden = isApiError(error) && (error.status === 404 || error.status === 403)
        loadError.value = hidden ? 'not-found' : 'failed'
        current.value = null
      }
      return null
    } finally {
      if (mine === ticket) loading.value = false
    }
  }

  /** Shows a record the server answered with; an older load still in flight must not win. */
  function keep(detail: T): void {
    ticket++
    current.value = detail
    loading.value = false
  }

  function loaded(): T {
    if (!current.value) throw new Error(`No ${options.what} loaded`)
    return current.value
  }

  /**
   * Calls the server with the loaded record (send its `version`, so that a decision on a
   * stale view gets 409) and shows the record it answers with. Errors are rethrown and
   * leave the record shown.
   */
  async function apply<R>(call: (record: T) => Promise<R>, recordOf: (answer: R) => T): Promise<R> {
    const answer = await call(loaded())
    keep(recordOf(answer))
    return answer
  }

  /** `apply` for the usual answer, `{ <record>, message }`: returns the server's message. */
  async function run<R extends { message: string }>(
    call: (record: T) => Promise<R>,
    recordOf: (answer: R) => T,
  ): Promise<string> {
    return (await apply(call, recordOf)).message
  }

  function reset(): void {
    ticket++
    current.value = null
    loading.value = false
    loadError.value = ''
  }

  const concerns =
    typeof options.reloadOn === 'string'
      ? (event: StatusUpdate, id: number) =>
          event.resource === options.reloadOn && Number(event.resource_id) === id
      : options.reloadOn

  /**
   * For the page's setup: loads the record of `id()` now and whenever it changes, reloads
   * quietly when a push says it changed elsewhere, and forgets it when the page goes.
   */
  function follow(id: () => number): void {
    watch(id, (value) => void load(value), { immediate: true })
    useRealtime('status_update', (event) => {
      if (concerns(event, id(), current.value)) void load(id(), { quiet: true })
    })
    onBeforeUnmount(reset)
  }

  return {
    current,
    loading,
    loadError,
    allowed,
    can,
    load,
    keep,
    loaded,
    apply,
    run,
    reset,
    follow,
  }
}
