import { defineStore } from 'pinia'
import * as requisitionsApi from '@/api/requisitions'
import type { TransitionName } from '@/api/requisitions'
import { useDetail } from '@/composables/useDetail'

/** The requisition open on the detail page and the transitions on it. */
export const useRequisitionsStore = defineStore('requisitions', () => {
  const detail = useDetail({
    what: 'requisition',
    fetch: (id) => requisitionsApi.getRequisition(id, { silent: true }),
    reloadOn: 'requisition',
  })

  /**
   * Runs a transition with the loaded `version` (so a decision on a stale view gets
   * 409) and keeps the answer. Returns the server's message. Errors are rethrown.
   */
  function transition(name: TransitionName, text?: string): Promise<string> {
    return detail.run(
      (record) =>
        requisitionsApi.transitionRequisition(
          record.id,
          name,
          requisitionsApi.transitionBody(name, record.version, text),
          { silent: true },
        ),
      (answer) => answer.requisition,
    )
  }

  async function remove(): Promise<void> {
    const record = detail.current.value
    if (!record) return
    await requisitionsApi.deleteRequisition(record.id)
    detail.current.value = null
  }

  return { ...detail, transition, remove }
})
