import type {
  ApprovalStep,
  Decision,
  RequisitionBody,
  RequisitionDetail,
  RequisitionList,
  RequisitionListParams,
  RequisitionUpdateBody,
  TransitionResult,
} from '@/types/requisitions'
import { api, requestWithMessage, type RequestOptions } from './http'

export function listRequisitions(params: RequisitionListParams = {}, opts: RequestOptions = {}) {
  return api.get<RequisitionList>('/requisitions', params, opts)
}

export async function getRequisition(
  id: number,
  opts: RequestOptions = {},
): Promise<RequisitionDetail> {
  return (await api.get<{ requisition: RequisitionDetail }>(`/requisitions/${id}`, undefined, opts))
    .requisition
}

export async function createRequisition(
  body: RequisitionBody,
  opts: RequestOptions = {},
): Promise<RequisitionDetail> {
  return (await api.post<{ requisition: RequisitionDetail }>('/requisitions', body, opts))
    .requisition
}

/** `version` is the optimistic lock: a stale one answers 409 STALE_VERSION. */
export async function updateRequisition(
  id: number,
  body: RequisitionUpdateBody,
  opts: RequestOptions = {},
): Promise<RequisitionDetail> {
  return (await api.put<{ requisition: RequisitionDetail }>(`/requisitions/${id}`, body, opts))
    .requisition
}

/** A new Draft of mine with the purpose, justification and lines of requisition `id`. */
export async function copyRequisition(
  id: number,
  opts: RequestOptions = {},
): Promise<RequisitionDetail> {
  return (await api.post<{ requisition: RequisitionDetail }>(`/requisitions/${id}/copy`, {}, opts))
    .requisition
}

/** Drafts only. */
export function deleteRequisition(id: number, opts: RequestOptions = {}) {
  return api.delete<unknown>(`/requisitions/${id}`, opts)
}

export type TransitionName = 'submit' | 'cancel' | Decision

/** What each transition carries besides `version`. */
export interface TransitionPayload {
  version?: number
  comment?: string | null
  reason?: string
  question?: string
}

/** The text field a decision sends: approve → comment, reject → reason, question → question. */
export const DECISION_FIELD: Record<Decision, 'comment' | 'reason' | 'question'> = {
  approve: 'comment',
  reject: 'reason',
  question: 'question',
}

/** Builds a transition body, leaving out what is empty (an absent version is not checked). */
export function transitionBody(
  name: TransitionName,
  version: number | undefined,
  text?: string,
): TransitionPayload {
  const body: TransitionPayload = {}
  if (version !== undefined) body.version = version
  const trimmed = text?.trim()
  if (name in DECISION_FIELD && trimmed) body[DECISION_FIELD[name as Decision]] = trimmed
  return body
}

/** POST /requisitions/{id}/{submit|approve|reject|question|cancel} → the record + message. */
export async function transitionRequisition(
  id: number,
  name: TransitionName,
  body: TransitionPayload = {},
  opts: RequestOptions = {},
): Promise<TransitionResult> {
  const { data, message } = await requestWithMessage<{ requisition: RequisitionDetail }>({
    ...opts,
    method: 'post',
    url: `/requisitions/${id}/${name}`,
    data: body,
  })
  return { requisition: data.requisition, message }
}

export async function listRequisitionApprovals(id: number): Promise<ApprovalStep[]> {
  return (await api.get<{ approvals: ApprovalStep[] }>(`/requisitions/${id}/approvals`)).approvals
}
