import type { PageParams, Pagination } from './api'

export interface Project {
  id: number
  code: string
  name: string
  description: string | null
  /** Decimal strings, 2 places. */
  budget_amount: string
  committed_amount: string | null
  remaining_amount: string | null
  owner_id: number | null
  owner?: { id: number; username: string; full_name: string } | null
  is_active: boolean
  version: number
  created_at?: string
  updated_at?: string
}

export interface ProjectBody {
  code: string
  name: string
  description: string | null
  budget_amount: string
  owner_id: number | null
  is_active?: boolean
}

export interface ProjectListParams extends PageParams {
  q?: string
  owner_id?: number
  is_active?: boolean | ''
  include_inactive?: boolean
}

export interface ProjectList {
  projects: Project[]
  pagination: Pagination
}
