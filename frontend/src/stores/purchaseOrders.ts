import { defineStore } from 'pinia'
import * as poApi from '@/api/purchasing'
import { useDetail } from '@/composables/useDetail'
import type { POTransition, PurchaseOrderDetail, PurchaseOrderUpdateBody } from '@/types/purchasing'

/** The purchase order open on the detail page, its transitions and Draft edits. */
export const usePurchaseOrdersStore = defineStore('purchaseOrders', () => {
  const detail = useDetail({
    what: 'purchase order',
    fetch: (id) => poApi.getPurchaseOrder(id, { silent: true }),
    reloadOn: 'purchase_order',
  })

  /**
   * Runs a transition with the loaded `version` (a decision on a stale view gets 409)
   * and keeps the answer. Returns the server's message; errors are rethrown.
   */
  function transition(name: POTransition, text?: string): Promise<string> {
    return detail.run(
      (record) =>
        poApi.transitionPurchaseOrder(
          record.id,
          name,
          poApi.poTransitionBody(name, record.version, text),
          { silent: true },
        ),
      (answer) => answer.purchase_order,
    )
  }

  /**
   * Saves a Draft edit. `body.version` is the version the edit form was filled from (a
   * live reload meanwhile must not make a stale form look fresh); errors are rethrown.
   */
  function update(body: PurchaseOrderUpdateBody): Promise<PurchaseOrderDetail> {
    return detail.apply(
      (record) => poApi.updatePurchaseOrder(record.id, body, { silent: true }),
      (saved) => saved,
    )
  }

  return { ...detail, transition, update }
})
