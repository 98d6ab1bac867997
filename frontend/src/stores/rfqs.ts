import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import * as rfqApi from '@/api/rfqs'
import { isApiError } from '@/api/errors'
import type {
  PurchaseOrder,
  QuoteBody,
  RfqAction,
  RfqDetail,
  RfqTransition,
} from '@/types/purchasing'
import { newIdempotencyKey } from '@/utils/ids'

/** The RFQ open on the detail page: its comparison, quotes, award and transitions. */
export const useRfqsStore = defineStore('rfqs', () => {
  const current = shallowRef<RfqDetail | null>(null)
  const loading = ref(false)
  const loadError = ref<'' | 'not-found' | 'failed'>('')
  let ticket = 0

  const allowed = computed(() => new Set<RfqAction>(current.value?.allowed_actions ?? []))

  function can(action: RfqAction): boolean {
    return allowed.value.has(action)
  }

  async function load(id: number, { quiet = false } = {}): Promise<RfqDetail | null> {
    const mine = ++ticket
    if (!quiet) {
      loading.value = true
      if (current.value?.id !== id) current.value = null
    }
    try {
      const detail = await rfqApi.getRfq(id, { silent: true })
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

  function loaded(): RfqDetail {
    if (!current.value) throw new Error('No RFQ loaded')
    return current.value
  }

  function keep(detail: RfqDetail): void {
    ticket++
    current.value = detail
    loading.value = false
  }

  /** send / close / cancel with the loaded version; returns the server's message. */
  async function transition(name: RfqTransition): Promise<string> {
    const record = loaded()
    const result = await rfqApi.transitionRfq(record.id, name, record.version, { silent: true })
    keep(result.rfq)
    return result.message
  }

  /** Records one supplier's quotes; `version` is the one the form was filled from. */
  async function recordQuotes(
    supplierId: number,
    quotes: QuoteBody[],
    version?: number,
  ): Promise<string> {
    const record = loaded()
    const result = await rfqApi.recordQuotes(
      record.id,
      { supplier_id: supplierId, quotes, version: version ?? record.version },
      { silent: true },
    )
    keep(result.rfq)
    return result.message
  }

  /**
   * Awards lines (line id → supplier id); returns the Draft POs created. `key` is the
   * Idempotency-Key of this award attempt (a retried click creates nothing new);
   * `version` the one the choice was made on.
   */
  async function award(
    choices: Record<number, number>,
    key: string = newIdempotencyKey(),
    version?: number,
  ): Promise<PurchaseOrder[]> {
    const record = loaded()
    const awards = Object.entries(choices).map(([line, supplier]) => ({
      rfq_line_id: Number(line),
      supplier_id: supplier,
    }))
    const result = await rfqApi.awardRfq(
      record.id,
      { awards, version: version ?? record.version },
      { silent: true, headers: { 'Idempotency-Key': key } },
    )
    keep(result.rfq)
    return result.purchase_orders
  }

  function reset(): void {
    ticket++
    current.value = null
    loading.value = false
    loadError.value = ''
  }

  return {
    current,
    loading,
    loadError,
    allowed,
    can,
    load,
    transition,
    recordQuotes,
    award,
    reset,
  }
})
