/** The envelopes every /api/v1 response comes in (SPEC §3). */

export interface SuccessEnvelope<T> {
  success: true
  data: T
  message: string
  timestamp: string
  request_id: string
}

/** Field name → messages, as sent with 422 (other errors may carry any details). */
export type ErrorDetails = Record<string, string[]>

export interface ErrorBody {
  code: string
  message: string
  details?: Record<string, unknown>
}

export interface ErrorEnvelope {
  success: false
  error: ErrorBody
  timestamp?: string
  request_id?: string
}

export interface Pagination {
  page: number
  per_page: number
  total: number
  pages: number
  /** Present (true) when the server stopped counting at its cap: `total` is that cap. */
  total_capped?: boolean
}

export interface PageParams {
  page?: number
  per_page?: number
  sort?: string
}

/** Query parameter values; empty ones are dropped before sending. */
export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue>
