import type { PageParams, Pagination } from './api'
import type { components } from './openapi'

/** API payloads: generated from the OpenAPI document (`make api-types`). */
type Schemas = components['schemas']

export const PURPOSES = ['Daily Operations', 'Project-Specific'] as const
export type Purpose = (typeof PURPOSES)[number]

export const REQUISITION_STATUSES = [
  'Draft',
  'Submitted',
  'Under Review',
  'Approved',
  'Rejected',
  'Questioned',
  'Cancelled',
] as const
export type RequisitionStatus = (typeof REQUISITION_STATUSES)[number]

export type RequisitionAction =
  'edit' | 'submit' | 'cancel' | 'delete' | 'approve' | 'reject' | 'question'

export type PersonRef = Schemas['PersonRef']

export type Requisition = Schemas['RequisitionRead']

export type RequisitionItem = Schemas['RequisitionItemRead']

export const STEP_STATUSES = [
  'Waiting',
  'Pending',
  'Approved',
  'Rejected',
  'Questioned',
  'Skipped',
  'Cancelled',
] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

export type ApprovalStep = Schemas['ApprovalStepRead']

export type RequisitionDetail = Schemas['RequisitionDetail']

export interface RequisitionListParams extends PageParams {
  /** Comma-separated statuses. */
  status?: string
  q?: string
  /** UTC ISO-8601 bounds on created_at. */
  from?: string
  to?: string
  mine?: boolean
  project_id?: number
  requester_id?: number
}

/** The list's filter bar. */
export interface RequisitionFilterState {
  /** Comma-separated, as the API takes it. */
  status: string
  q: string
  /** UTC ISO-8601 bounds on created_at. */
  from: string
  to: string
  mine: boolean
}

export interface RequisitionList {
  requisitions: Requisition[]
  pagination: Pagination
}

export interface RequisitionItemBody {
  description: string
  item_id?: number | null
  quantity: string
  uom?: string
  estimated_unit_price: string
  suggested_supplier_id?: number | null
}

export interface RequisitionBody {
  purpose: Purpose
  project_id?: number | null
  needed_by?: string | null
  justification: string
  items: RequisitionItemBody[]
}

export interface RequisitionUpdateBody extends RequisitionBody {
  version: number
}

/** A transition's answer: the record as it is now, and the server's message for the toast. */
export interface TransitionResult {
  requisition: RequisitionDetail
  message: string
}

export type Decision = 'approve' | 'reject' | 'question'
