import type { PageParams, Pagination } from './api'

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

export interface PersonRef {
  id: number
  full_name: string
  username: string
}

export interface Requisition {
  id: number
  req_number: string
  requester: PersonRef | null
  requester_id: number
  department_id: number | null
  department_name: string | null
  purpose: Purpose
  project_id: number | null
  /** YYYY-MM-DD */
  needed_by: string | null
  justification: string
  status: RequisitionStatus
  /** Decimal string, 2 places. */
  total_amount: string
  over_budget: boolean
  submitted_at: string | null
  approved_at: string | null
  approved_by: PersonRef | null
  item_count: number
  version: number
  created_at: string
  updated_at: string
  /** Live attachments (list rows only; a detail shows the files). */
  attachment_count?: number
}

export interface RequisitionItem {
  id: number
  line_no: number
  description: string
  item_id: number | null
  /** Decimal string, 3 places. */
  quantity: string
  uom: string
  estimated_unit_price: string
  line_total: string
  suggested_supplier_id: number | null
  po_line_id: number | null
  sourcing_status: string | null
}

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

export interface ApprovalStep {
  id: number
  round: number
  sequence: number
  kind: string
  label: string
  role: string | null
  approver_id: number | null
  approver_name: string | null
  status: StepStatus
  due_at: string | null
  activated_at: string | null
  decided_by_id: number | null
  decided_by_name: string | null
  decided_at: string | null
  on_behalf_of_id: number | null
  comment: string | null
}

export interface RequisitionDetail extends Requisition {
  items: RequisitionItem[]
  approvals: ApprovalStep[]
  allowed_actions: RequisitionAction[]
}

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
