import type { PageParams, Pagination } from './api'
import type { Role } from './identity'
import type { ApprovalStep, Purpose } from './requisitions'

/** A task in my approval inbox. */
export interface InboxItem extends ApprovalStep {
  document_type: string
  document_id: number
  document_number: string
  document_title: string
  amount: string
  requester_id: number
  requester_name: string | null
  overdue: boolean
}

export interface InboxList {
  approvals: InboxItem[]
  pagination: Pagination
}

export type StepKind = 'line_manager' | 'role'

export interface PolicyStep {
  kind: StepKind
  role?: Role | null
  label?: string
  /** The step applies only from this amount on. */
  min_amount?: string | null
}

export interface ApprovalPolicy {
  id?: number | null
  name: string
  priority: number
  purpose: Purpose | null
  department_id: number | null
  min_amount: string | null
  max_amount: string | null
  steps: PolicyStep[]
  is_active?: boolean
}

export interface PolicySet {
  policies: ApprovalPolicy[]
}

export interface Delegation {
  id: number
  delegator_id: number
  delegator_name: string | null
  delegate_id: number
  delegate_name: string | null
  /** YYYY-MM-DD */
  starts_on: string
  ends_on: string
  reason: string | null
  is_active: boolean
  created_at?: string
}

export interface DelegationList {
  delegations: Delegation[]
  pagination?: Pagination
}

export interface DelegationCreateBody {
  delegate_id: number
  starts_on: string
  ends_on: string
  reason?: string | null
}

export type InboxParams = PageParams
