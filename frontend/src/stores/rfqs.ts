import { defineStore } from 'pinia'
import * as rfqApi from '@/api/rfqs'
import { useDetail } from '@/composables/useDetail'
import type { PurchaseOrder, QuoteBody, RfqTransition } from '@/types/purchasing'
import { newIdempotencyKey } from '@/utils/ids'

/** The RFQ open on the detail page: its comparison, quotes, award and transitions. */
export const useRfqsStore = defineStore('rfqs', () => {
  const detail = useDetail({
    what: 'RFQ',
    fetch: (id) => rfqApi.getRfq(id, { silent: true }),
    // The POs an award created change state elsewhere: keep their status tags current.
    reloadOn: (event, _id, rfq) =>
      event.resource === 'purchase_order' &&
      (rfq?.purchase_orders.some((po) => po.id === Number(event.resource_id)) ?? false),
  })

  /** send / close / cancel with the loaded version; returns the server's message. */
  function transition(name: RfqTransition): Promise<string> {
    return detail.run(
      (record) => rfqApi.transitionRfq(record.id, name, record.version, { silent: true }),
      (answer) => answer.rfq,
    )
  }

  /** Records one supplier's quotes; `version` is the one the form was filled from. */
  function recordQuotes(
    supplierId: number,
    quotes: QuoteBody[],
    version?: number,
  ): Promise<string> {
    return detail.run(
      (record) =>
        rfqApi.recordQuotes(
          record.id,
          { supplier_id: supplierId, quotes, version: version ?? record.version },
          { silent: true },
        ),
      (answer) => answer.rfq,
    )
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
    const awards = Object.entries(choices).map(([line, supplier]) => ({
      rfq_line_id: Number(line),
      supplier_id: supplier,
    }))
    const result = await detail.apply(
      (record) =>
        rfqApi.awardRfq(
          record.id,
          { awards, version: version ?? record.version },
          { silent: true, headers: { 'Idempotency-Key': key } },
        ),
      (answer) => answer.rfq,
    )
    return result.purchase_orders
  }

  return { ...detail, transition, recordQuotes, award }
})
