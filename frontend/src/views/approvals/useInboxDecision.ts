import { ref, shallowRef } from 'vue'
import { ApiError } from '@/api/errors'
import { approveMany } from '@/api/inbox'
import { transitionBody, transitionRequisition } from '@/api/requisitions'
import type { InboxEntry } from '@/types/inbox'
import type { Decision } from '@/types/requisitions'

/**
 * One row's decision from the inbox, through the DecisionDialog: approve any document that
 * offers it (the same per-document use case as the bulk approval), reject or question a
 * requisition step. The row carries no version: the server decides on the current state.
 */
export function useInboxDecision() {
  const target = shallowRef<InboxEntry | null>(null)
  const decision = ref<Decision | null>(null)
  const open = ref(false)

  function decide(row: InboxEntry, kind: Decision): void {
    target.value = row
    decision.value = kind
    open.value = true
  }

  async function run(kind: Decision, text: string): Promise<string> {
    const row = target.value
    if (!row) return ''
    if (kind === 'approve') {
      const answer = await approveMany([{ type: row.type, document_id: row.document_id }], text, {
        silent: true,
      })
      const result = answer.results[0]
      if (!result?.ok) {
        const error = result?.error
        throw new ApiError(
          error?.http_status ?? 409,
          error?.code ?? 'NOT_APPROVED',
          error?.message ?? 'Not approved.',
        )
      }
      return `${row.document_number} approved`
    }
    const body = transitionBody(kind, undefined, text)
    const result = await transitionRequisition(row.document_id, kind, body, { silent: true })
    return result.message
  }

  return { target, decision, open, decide, run }
}
