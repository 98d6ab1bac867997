import type { ErrorDetails } from '@/types/api'

/** Any failed API call: the error envelope's code/message/details plus the HTTP status. */
export class ApiError extends Error {
  /** HTTP status; 0 when no response arrived (network error, timeout, cancelled). */
  readonly status: number
  readonly code: string
  /** Field → messages (422); other detail values are stringified into a one-element list. */
  readonly details: ErrorDetails
  /** `details` exactly as sent: nested 422 maps such as `{items: {"0": {quantity: [...]}}}`. */
  readonly rawDetails: Record<string, unknown>
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
    this.rawDetails =
      details && typeof details === 'object' && !Array.isArray(details)
        ? (details as Record<string, unknown>)
        : {}
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

/**
 * Nested 422 details flattened to dotted paths:
 * `{policies: {"0": {steps: {"1": {role: ["Required"]}}}}}` → `{"policies.0.steps.1.role": "Required"}`.
 */
export function flattenDetails(details: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  if (Array.isArray(details)) {
    if (details.every((d) => typeof d === 'string')) out[prefix] = details.join(' ')
    else details.forEach((d, i) => Object.assign(out, flattenDetails(d, join(prefix, String(i)))))
  } else if (details && typeof details === 'object') {
    for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
      Object.assign(out, flattenDetails(value, join(prefix, key)))
    }
  } else if (details !== null && details !== undefined) {
    out[prefix] = String(details)
  }
  return out
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key
}
