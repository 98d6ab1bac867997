import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import * as accountingApi from '@/api/accounting'
import { isApiError } from '@/api/errors'
import type { InvoiceAction, InvoiceDetail, PaymentCreateBody } from '@/types/accounting'

/** The invoice open on the detail page: approve (with override), void, rematch, pay. */
export const useInvoicesStore = defineStore('invoices', () => {
  const current = shallowRef<InvoiceDetail | null>(null)
  const loading = ref(false)
  /** 'not-found' covers 404 and 403: never reveal what the caller may not see. */
  const loadError = ref<'' | 'not-found' | 'failed'>('')
  let ticket = 0

  const allowed = computed(() => new Set<InvoiceAction>(current.value?.allowed_actions ?? []))
  /** An Exception invoice is approved only with an override reason. */
  const needsOverride = computed(() => current.value?.status === 'Exception')

  function can(action: InvoiceAction): boolean {
    return allowed.value.has(action)
  }

  async function load(id: number, { quiet = false } = {}): Promise<InvoiceDetail | null> {
    const mine = ++ticket
    if (!quiet) {
      loading.value = true
      if (current.value?.id !== id) current.value = null
    }
    try {
      const detail = await accountingApi.getInvoice(id, { silent: true })
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

  function keep(detail: InvoiceDetail): void {
    ticket++ // an older reload must not overwrite this answer
    current.value = detail
    loading.value = false
  }

  function loaded(): InvoiceDetail {
    if (!current.value) throw new Error('No invoice loaded')
    return current.value
  }

  /** Approves with the loaded version; an Exception invoice needs `overrideReason`. */
  async function approve(overrideReason?: string): Promise<string> {
    const record = loaded()
    const body: accountingApi.InvoiceTransitionBody = { version: record.version }
    const reason = overrideReason?.trim()
    if (reason) body.override_reason = reason
    const result = await accountingApi.transitionInvoice(record.id, 'approve', body, {
      silent: true,
    })
    keep(result.invoice)
    return result.message
  }

  async function voidInvoice(reason: string): Promise<string> {
    const record = loaded()
    const result = await accountingApi.transitionInvoice(
      record.id,
      'void',
      { version: record.version, reason: reason.trim() },
      { silent: true },
    )
    keep(result.invoice)
    return result.message
  }

  async function rematch(): Promise<string> {
    const record = loaded()
    const result = await accountingApi.transitionInvoice(record.id, 'rematch', {
      version: record.version,
    })
    keep(result.invoice)
    return result.message
  }

  /** Records a payment, then reloads the invoice (its paid amount and status change). */
  async function pay(
    body: Omit<PaymentCreateBody, 'invoice_id'>,
    idempotencyKey: string,
  ): Promise<void> {
    const record = loaded()
    await accountingApi.createPayment(
      { ...body, invoice_id: record.id },
      { silent: true, headers: { 'Idempotency-Key': idempotencyKey } },
    )
    await load(record.id, { quiet: true })
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
    needsOverride,
    can,
    load,
    approve,
    voidInvoice,
    rematch,
    pay,
    reset,
  }
})
