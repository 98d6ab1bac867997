import type { ErrorDetails } from '@/types/api'

/** Any failed API call: the error envelope's code/message/details plus the HTTP status. */
export class ApiError extends Error {
  /** HTTP status; 0 when no response arrived (network error, timeout, cancelled). */
  readonly status: number
  readonly code: string
  /** Field → messages (422); other detail values are stringified into a one-element list. */
  readonly details: ErrorDetails
  readonly requestId?: string

  constructor(
    status: number,
    code: string,
    message: string,
    details: unknown = {},
    requestId?: string,
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = normalizeDetails(details)
    this.requestId = requestId
  }

  /** First message for a form field, if the server sent one. */
  fieldError(field: string): string | undefined {
    return this.details[field]?.[0]
  }

  get isValidation(): boolean {
    return this.status === 422
  }

  get isConflict(): boolean {
    return this.status === 409
  }
}

export function normalizeDetails(details: unknown): ErrorDetails {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return {}
  const out: ErrorDetails = {}
  for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
    if (Array.isArray(value))
      out[key] = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    else if (typeof value === 'string') out[key] = [value]
    else if (value !== null && value !== undefined) out[key] = [JSON.stringify(value)]
  }
  return out
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}
