import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import * as poApi from '@/api/purchasing'
import { isApiError } from '@/api/errors'
import type {
  POAction,
  POTransition,
  PurchaseOrderDetail,
  PurchaseOrderUpdateBody,
} from '@/types/purchasing'

/** The purchase order open on the detail page, its transitions and Draft edits. */
export const usePurchaseOrdersStore = defineStore('purchaseOrders', () => {
  const current = shallowRef<PurchaseOrderDetail | null>(null)
  const loading = ref(false)
  /** 'not-found' covers 404 and 403: never reveal what the caller may not see. */
  const loadError = ref<'' | 'not-found' | 'failed'>('')
  let ticket = 0

  const allowed = computed(() => new Set<POAction>(current.value?.allowed_actions ?? []))

  function can(action: POAction): boolean {
    return allowed.value.has(action)
  }

  /** Loads (or silently reloads, keeping what is shown) one purchase order. */
  async function load(id: number, { quiet = false } = {}): Promise<PurchaseOrderDetail | null> {
    const mine = ++ticket
    if (!quiet) {
      loading.value = true
      if (current.value?.id !== id) current.value = null
    }
    try {
      const detail = await poApi.getPurchaseOrder(id, { silent: true })
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

  function keep(detail: PurchaseOrderDetail): void {
    ticket++ // an older reload must not overwrite this answer
    current.value = detail
    loading.value = false
  }

  /**
   * Runs a transition with the loaded `version` (a decision on a stale view gets 409)
   * and keeps the answer. Returns the server's message; errors are rethrown.
   */
  async function transition(name: POTransition, text?: string): Promise<string> {
    const record = current.value
    if (!record) throw new Error('No purchase order loaded')
    const body = poApi.poTransitionBody(name, record.version, text)
    const result = await poApi.transitionPurchaseOrder(record.id, name, body, { silent: true })
    keep(result.purchase_order)
    return result.message
  }

  /**
   * Saves a Draft edit. `body.version` is the version the edit form was filled from (a
   * live reload meanwhile must not make a stale form look fresh); errors are rethrown.
   */
  async function update(body: PurchaseOrderUpdateBody): Promise<PurchaseOrderDetail> {
    const record = current.value
    if (!record) throw new Error('No purchase order loaded')
    const saved = await poApi.updatePurchaseOrder(record.id, body, { silent: true })
    keep(saved)
    return saved
  }

  function reset(): void {
    ticket++
    current.value = null
    loading.value = false
    loadError.value = ''
  }

  return { current, loading, loadError, allowed, can, load, transition, update, reset }
})
