import type { Dashboard } from '@/types/dashboard'
import { api, type RequestOptions } from './http'

export interface DashboardData {
  dashboard: Dashboard
}

export function fetchDashboard(opts: RequestOptions = {}) {
  return api.get<DashboardData>('/dashboard', undefined, opts)
}

/** A prefetched answer is used only this soon after it was asked for. */
const PREFETCH_TTL_MS = 5000
let prefetched: { at: number; answer: Promise<DashboardData | null> } | null = null

/**
 * Starts GET /dashboard as soon as the router knows the dashboard is next, so the
 * request runs while the view's code is still downloading (SPEC §7 page-load budget).
 */
export function prefetchDashboard(): void {
  prefetched = {
    at: Date.now(),
    answer: fetchDashboard({ silent: true }).catch(() => null),
  }
}

/** The prefetched answer, once, if fresh (null: fetch it yourself). */
export function takePrefetchedDashboard(): Promise<DashboardData | null> | null {
  const taken = prefetched
  prefetched = null
  return taken && Date.now() - taken.at < PREFETCH_TTL_MS ? taken.answer : null
}
