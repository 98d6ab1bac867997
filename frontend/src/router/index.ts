import { createRouter, createWebHistory } from 'vue-router'
import { authGuard } from './guards'
import { routes } from './routes'

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(authGuard)

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · ReqFlow` : 'ReqFlow'
})

// After a deploy, an open tab may ask for a chunk that no longer exists: reload once.
router.onError((error: Error, to) => {
  const chunkFailed = /dynamically imported module|Importing a module script failed/i.test(
    error.message,
  )
  if (chunkFailed && !sessionStorage.getItem('reqflow:chunk-reload')) {
    sessionStorage.setItem('reqflow:chunk-reload', '1')
    window.location.assign(to.fullPath)
  }
})

router.isReady().then(() => sessionStorage.removeItem('reqflow:chunk-reload'))
