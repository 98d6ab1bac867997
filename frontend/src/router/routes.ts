import type { RouteRecordRaw } from 'vue-router'
import { prefetchDashboard } from '@/api/dashboard'
import { ROLES, type Role } from '@/types/identity'
import { IMPORTERS } from '@/types/imports'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean
    /** Any of these permissions grants access. */
    permission?: string | string[]
    /** Any of these roles grants access. */
    roles?: Role[]
    title?: string
    /** The menu entry to highlight when it is not the route's own name. */
    navKey?: string
  }
}

/** Everybody but Admin, who runs the system rather than buying. */
const STAFF: Role[] = ROLES.filter((role) => role !== 'Admin')

/** Any purchase-order permission shows purchase orders (the server narrows what Warehouse sees). */
const PO_VIEWERS = ['po:view', 'po:create', 'po:manage', 'po:approve']

/** Goods receipts: the Warehouse and accounts see all, a requester those with their goods. */
const RECEIPT_VIEWERS = ['goods:accept', 'goods:receive', 'goods:view']

const INVOICE_VIEWERS = ['invoice:create', 'accounting:manage']
export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { public: true, title: 'Sign in' },
  },
  {
    path: '/set-password',
    name: 'set-password',
    component: () => import('@/views/auth/SetPasswordView.vue'),
    meta: { public: true, title: 'Choose your password' },
  },
  {
    path: '/',
    component: () => import('@/components/layout/AppLayout.vue'),
    children: [
      {
        path: '',
        name: 'dashboard',
        component: () => import('@/views/dashboard/DashboardView.vue'),
        // Its data loads alongside its code, not after it.
        beforeEnter: () => prefetchDashboard(),
        meta: { title: 'Dashboard' },
      },
      {
        path: 'profile',
        name: 'profile',
        component: () => import('@/views/profile/ProfileView.vue'),
        meta: { title: 'My profile' },
      },
      {
        path: 'profile/delegations',
        name: 'delegations',
        component: () => import('@/views/profile/DelegationsView.vue'),
        meta: { title: 'Out of office', roles: STAFF },
      },
      {
        path: 'requisitions',
        name: 'requisitions',
        component: () => import('@/views/requisitions/RequisitionsView.vue'),
        meta: { title: 'Requisitions', roles: STAFF },
      },
      {
        path: 'requisitions/new',
        name: 'requisition-new',
        component: () => import('@/views/requisitions/RequisitionFormView.vue'),
        meta: {
          title: 'New requisition',
          permission: 'requisition:create',
          roles: STAFF,
          navKey: 'requisitions',
        },
      },
      {
        path: 'requisitions/:id(\\d+)',
        name: 'requisition',
        component: () => import('@/views/requisitions/RequisitionDetailView.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'Requisition', roles: STAFF, navKey: 'requisitions' },
      },
      {
        path: 'requisitions/:id(\\d+)/edit',
        name: 'requisition-edit',
        component: () => import('@/views/requisitions/RequisitionFormView.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: {
          title: 'Edit requisition',
          permission: 'requisition:create',
          roles: STAFF,
          navKey: 'requisitions',
        },
      },
      {
        // The old Approvals page (and links to it in e-mails) open the one inbox.
        path: 'approvals',
        redirect: { name: 'inbox' },
      },
      {
        path: 'sourcing',
        name: 'sourcing',
        component: () => import('@/views/purchasing/SourcingQueueView.vue'),
        meta: { title: 'Sourcing queue', permission: 'po:create' },
      },
      {
        path: 'purchase-orders',
        name: 'purchase-orders',
        component: () => import('@/views/purchasing/PurchaseOrdersView.vue'),
        meta: { title: 'Purchase orders', permission: PO_VIEWERS },
      },
      {
        path: 'purchase-orders/:id(\\d+)',
        name: 'purchase-order',
        component: () => import('@/views/purchasing/PurchaseOrderDetailView.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'Purchase order', permission: PO_VIEWERS, navKey: 'purchase-orders' },
      },
      {
        path: 'rfqs',
        name: 'rfqs',
        component: () => import('@/views/purchasing/RfqsView.vue'),
        meta: { title: 'Requests for quotation', permission: 'rfq:manage' },
      },
      {
        path: 'rfqs/:id(\\d+)',
        name: 'rfq',
        component: () => import('@/views/purchasing/RfqDetailView.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'Request for quotation', permission: 'rfq:manage', navKey: 'rfqs' },
      },
      {
        path: 'receiving',
        name: 'receiving',
        component: () => import('@/views/inventory/ReceivingView.vue'),
        meta: { title: 'Receive goods', permission: 'goods:receive' },
      },
      {
        path: 'receipts',
        name: 'receipts',
        component: () => import('@/views/inventory/ReceiptsView.vue'),
        meta: { title: 'Goods receipts', permission: RECEIPT_VIEWERS },
      },
      {
        path: 'receipts/:id(\\d+)',
        name: 'receipt',
        component: () => import('@/views/inventory/ReceiptDetailView.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'Goods receipt', permission: RECEIPT_VIEWERS, navKey: 'receipts' },
      },
      {
        path: 'inventory',
        name: 'inventory',
        component: () => import('@/views/inventory/InventoryView.vue'),
        meta: { title: 'Inventory', permission: 'inventory:search' },
      },
      {
        path: 'storage-locations',
        name: 'storage-locations',
        component: () => import('@/views/inventory/StorageLocationsView.vue'),
        meta: { title: 'Storage locations', permission: 'storage:manage' },
      },
      {
        path: 'invoices',
        name: 'invoices',
        component: () => import('@/views/accounting/InvoicesView.vue'),
        meta: { title: 'Invoices', permission: INVOICE_VIEWERS },
      },
      {
        path: 'invoices/:id(\\d+)',
        name: 'invoice',
        component: () => import('@/views/accounting/InvoiceDetailView.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { title: 'Invoice', permission: INVOICE_VIEWERS, navKey: 'invoices' },
      },
      {
        path: 'reports/ap-aging',
        name: 'ap-aging',
        component: () => import('@/views/accounting/ApAgingView.vue'),
        meta: { title: 'AP aging', permission: 'reports:financial' },
      },
      {
        path: 'suppliers',
        name: 'suppliers',
        component: () => import('@/views/catalog/SuppliersView.vue'),
        meta: { title: 'Suppliers', roles: STAFF },
      },
      {
        path: 'items',
        name: 'items',
        component: () => import('@/views/catalog/ItemsView.vue'),
        meta: { title: 'Items', roles: STAFF },
      },
      {
        path: 'projects',
        name: 'projects',
        component: () => import('@/views/projects/ProjectsView.vue'),
        meta: { title: 'Projects' },
      },
      {
        path: 'admin/approval-policies',
        name: 'approval-policies',
        component: () => import('@/views/approvals/ApprovalPoliciesView.vue'),
        meta: { title: 'Approval policies', permission: 'approval_policy:manage' },
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
      // Reports (issue 14)
      {
        path: 'reports/spend',
        name: 'report-spend',
        component: () => import('@/views/reports/SpendReportView.vue'),
        meta: { title: 'Spend', permission: ['reports:financial', 'reports:procurement'] },
      },
      {
        path: 'reports/approval-cycle-time',
        name: 'report-cycle-time',
        component: () => import('@/views/reports/CycleTimeReportView.vue'),
        meta: { title: 'Approval cycle time', permission: 'reports:financial' },
      },
      {
        path: 'reports/supplier-performance',
        name: 'report-supplier-performance',
        component: () => import('@/views/reports/SupplierPerformanceView.vue'),
        meta: {
          title: 'Supplier performance',
          permission: ['reports:financial', 'reports:procurement'],
        },
      },
      {
        path: 'reports/schedule',
        name: 'report-schedule',
        component: () => import('@/views/reports/ReportScheduleView.vue'),
        meta: { title: 'Report schedule', permission: 'settings:manage' },
      },
      {
        path: 'inbox',
        name: 'inbox',
        component: () => import('@/views/approvals/InboxView.vue'),
        meta: { title: 'Inbox', roles: STAFF },
      },
      {
        path: 'admin/imports',
        name: 'imports',
        component: () => import('@/views/imports/ImportsView.vue'),
        meta: { title: 'Imports', permission: IMPORTERS },
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
