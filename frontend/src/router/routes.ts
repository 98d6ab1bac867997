import type { RouteRecordRaw } from 'vue-router'
import type { Role } from '@/types/identity'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean
    /** Any of these permissions grants access. */
    permission?: string | string[]
    /** Any of these roles grants access. */
    roles?: Role[]
    title?: string
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { public: true, title: 'Sign in' },
  },
  {
    path: '/',
    component: () => import('@/components/layout/AppLayout.vue'),
    children: [
      {
        path: '',
        name: 'dashboard',
        component: () => import('@/views/dashboard/DashboardView.vue'),
        meta: { title: 'Dashboard' },
      },
      {
        path: 'profile',
        name: 'profile',
        component: () => import('@/views/profile/ProfileView.vue'),
        meta: { title: 'My profile' },
      },
      {
        path: 'admin/users',
        name: 'users',
        component: () => import('@/views/users/UsersView.vue'),
        meta: { title: 'Users', permission: 'user:manage' },
      },
      {
        path: 'admin/departments',
        name: 'departments',
        component: () => import('@/views/departments/DepartmentsView.vue'),
        meta: { title: 'Departments', permission: ['department:manage', 'user:manage'] },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('@/views/audit/AuditLogView.vue'),
        meta: { title: 'Audit log', permission: 'audit:view' },
      },
      {
        path: '403',
        name: 'forbidden',
        component: () => import('@/views/errors/ForbiddenView.vue'),
        meta: { title: 'Access denied' },
      },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/errors/NotFoundView.vue'),
    meta: { public: true, title: 'Page not found' },
  },
]
