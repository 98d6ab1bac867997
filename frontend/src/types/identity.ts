import type { PageParams, Pagination } from './api'
import type { components } from './openapi'

/** API payloads: generated from the OpenAPI document (`make api-types`). */
type Schemas = components['schemas']

export const ROLES = [
  'Engineer',
  'Procurement',
  'ProcurementMgr',
  'Warehouse',
  'Accountant',
  'Admin',
] as const

export type Role = (typeof ROLES)[number]

export interface DepartmentRef {
  id: number
  name: string
  code: string
}

export interface Department extends DepartmentRef {
  created_at: string
}

export type User = Schemas['UserRead'] & {
  /** The base currency (BASE_CURRENCY); sent by /auth/me and login only (MeRead). */
  currency?: Schemas['MeRead']['currency']
}

export type UserLookup = Schemas['UserLookupRead']

export interface LoginCredentials {
  username?: string
  email?: string
  password: string
}

export interface TokenResponse {
  access_token: string
  refresh_token: string
  expires_in: number
  user: User
}

export interface ChangePasswordBody {
  current_password: string
  new_password: string
}

export interface UserListParams extends PageParams {
  q?: string
  role?: Role | ''
  is_active?: boolean | ''
  department_id?: number | ''
}

export interface UserList {
  users: User[]
  pagination: Pagination
}

export interface UserCreateBody {
  username: string
  email: string
  full_name: string
  password: string
  role: Role
  department_id: number | null
  manager_id: number | null
}

export interface UserUpdateBody {
  email?: string
  full_name?: string
  role?: Role
  department_id?: number | null
  manager_id?: number | null
  version: number
}

export interface DepartmentList {
  departments: Department[]
  pagination: Pagination
}

export interface DepartmentCreateBody {
  name: string
  code: string
}

/** What the password step answers when a second factor is due (instead of tokens). */
export interface MfaChallenge {
  mfa_required: true
  mfa_enrolment: boolean
  mfa_challenge: string
  expires_in: number
}

export type LoginResponse = TokenResponse | MfaChallenge

export interface MfaSetup {
  secret: string
  otpauth_uri: string
  qr_svg: string
}

export interface MfaStatus {
  enabled: boolean
  required: boolean
  recovery_codes_left: number
  enrolled_at: string | null
}

export interface MfaEnrolled extends TokenResponse {
  recovery_codes: string[]
}
