import type { MfaEnrolled, MfaSetup, MfaStatus, TokenResponse } from '@/types/identity'
import { api } from './http'

/** The login steps answer 401 for a bad challenge: no session refresh, no redirect. */
const LOGIN_STEP = { silent: true, skipAuthRedirect: true }

/** Second login step: the challenge from the password step and a TOTP or recovery code. */
export function verify(challenge: string, code: string) {
  return api.post<TokenResponse>('/auth/mfa/verify', { challenge, code }, LOGIN_STEP)
}

/** Enrolment at login: a new secret and its QR code. */
export function enrolAtLogin(challenge: string) {
  return api.post<MfaSetup>('/auth/mfa/enrol', { challenge }, LOGIN_STEP)
}

/** Enrolment at login: confirm a code; signs in and hands the recovery codes once. */
export function confirmAtLogin(challenge: string, code: string) {
  return api.post<MfaEnrolled>('/auth/mfa/enrol/confirm', { challenge, code }, LOGIN_STEP)
}

export function status() {
  return api.get<MfaStatus>('/auth/mfa')
}

export function setup() {
  return api.post<MfaSetup>('/auth/mfa/setup')
}

export function activate(code: string) {
  return api.post<{ recovery_codes: string[] }>('/auth/mfa/activate', { code }, { silent: true })
}

export function disable(code: string) {
  return api.post<MfaStatus>('/auth/mfa/disable', { code }, { silent: true })
}

export function regenerateRecoveryCodes(code: string) {
  return api.post<{ recovery_codes: string[] }>(
    '/auth/mfa/recovery-codes',
    { code },
    { silent: true },
  )
}

/** Admin: remove a user's second factor (audited). */
export function reset(userId: number) {
  return api.post<MfaStatus>(`/users/${userId}/mfa/reset`)
}
