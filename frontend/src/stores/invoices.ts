import { defineStore } from 'pinia'
import { computed } from 'vue'
import * as accountingApi from '@/api/accounting'
import { useDetail } from '@/composables/useDetail'
import type { InvoiceDetail, PaymentCreateBody } from '@/types/accounting'

/** The invoice open on the detail page: approve (with override), void, rematch, pay. */
export const useInvoicesStore = defineStore('invoices', () => {
  const detail = useDetail({
    what: 'invoice',
    fetch: (id) => accountingApi.getInvoice(id, { silent: true }),
    reloadOn: 'invoice',
  })
  /** An Exception invoice is approved only with an override reason. */
  const needsOverride = computed(() => detail.current.value?.status === 'Exception')

  /** Runs a transition on the loaded invoice, keeps the answer, returns the message. */
  function decide(
    call: (record: InvoiceDetail) => ReturnType<typeof accountingApi.transitionInvoice>,
  ): Promise<string> {
    return detail.run(call, (answer) => answer.invoice)
  }

  /** Approves with the loaded version; an Exception invoice needs `overrideReason`. */
  function approve(overrideReason?: string): Promise<string> {
    return decide((record) => {
      const body: accountingApi.InvoiceTransitionBody = { version: record.version }
      const reason = overrideReason?.trim()
      if (reason) body.override_reason = reason
      return accountingApi.transitionInvoice(record.id, 'approve', body, { silent: true })
    })
  }

  function voidInvoice(reason: string): Promise<string> {
    return decide((record) =>
      accountingApi.transitionInvoice(
        record.id,
        'void',
        { version: record.version, reason: reason.trim() },
        { silent: true },
      ),
    )
  }

  function rematch(): Promise<string> {
    return decide((record) =>
      accountingApi.transitionInvoice(record.id, 'rematch', { version: record.version }),
    )
  }

  /** Records a payment, then reloads the invoice (its paid amount and status change). */
  async function pay(
    body: Omit<PaymentCreateBody, 'invoice_id'>,
    idempotencyKey: string,
  ): Promise<void> {
    const record = detail.loaded()
    await accountingApi.createPayment(
      { ...body, invoice_id: record.id },
      { silent: true, headers: { 'Idempotency-Key': idempotencyKey } },
    )
    await detail.load(record.id, { quiet: true })
  }

  return { ...detail, needsOverride, approve, voidInvoice, rematch, pay }
})
