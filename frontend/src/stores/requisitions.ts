import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import * as requisitionsApi from '@/api/requisitions'
import type { TransitionName } from '@/api/requisitions'
import { isApiError } from '@/api/errors'
import type { RequisitionAction, RequisitionDetail } from '@/types/requisitions'

/** The requisition open on the detail page and the transitions on it. */
export const useRequisitionsStore = defineStore('requisitions', () => {
  const current = shallowRef<RequisitionDetail | null>(null)
  const loading = ref(false)
  /** 'not-found' covers 404 and 403: never reveal what the caller may not see. */
  const loadError = ref<'' | 'not-found' | 'failed'>('')
  let ticket = 0

  const allowed = computed(() => new Set<RequisitionAction>(current.value?.allowed_actions ?? []))

  function can(action: RequisitionAction): boolean {
    return allowed.value.has(action)
  }

  /** Loads (or silently reloads, keeping what is shown) one requisition. */
  async function load(id: number, { quiet = false } = {}): Promise<RequisitionDetail | null> {
    const mine = ++ticket
    if (!quiet) {
      loading.value = true
      if (current.value?.id !== id) current.value = null
    }
    try {
      const detail = await requisitionsApi.getRequisition(id, { silent: true })
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

  /**
   * Runs a transition with the loaded `version` (so a decision on a stale view gets
   * 409) and keeps the answer. Returns the server's message. Errors are rethrown.
   */
  async function transition(name: TransitionName, text?: string): Promise<string> {
    const record = current.value
    if (!record) throw new Error('No requisition loaded')
    const body = requisitionsApi.transitionBody(name, record.version, text)
    const result = await requisitionsApi.transitionRequisition(record.id, name, body, {
      silent: true,
    })
    ticket++ // an older reload must not overwrite this answer
    current.value = result.requisition
    loading.value = false
    return result.message
  }

  async function remove(): Promise<void> {
    const record = current.value
    if (!record) return
    await requisitionsApi.deleteRequisition(record.id)
    current.value = null
  }

  function reset(): void {
    ticket++
    current.value = null
    loading.value = false
    loadError.value = ''
  }

  return { current, loading, loadError, allowed, can, load, transition, remove, reset }
})
