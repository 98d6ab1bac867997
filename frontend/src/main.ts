import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { onAuthFailure, onReauthenticate } from './api/http'
import { requestReauth } from './composables/useReauth'
import { bus } from './realtime/bus'
import { connectWhileSignedIn } from './realtime/session'
import { i18n } from './i18n'
import { router } from './router'
import { useAuthStore } from './stores/auth'
import { followInApp } from './utils/links'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)
app.use(i18n)

// The socket and the router are wired here, so that neither the socket nor the auth
// store imports the other side (socket → router → guards → auth store → socket).
const auth = useAuthStore(pinia)
connectWhileSignedIn(() => auth.isAuthenticated)
bus.on('navigate', (path) => followInApp(path, (to) => router.push(to)))

// A session that ended mid-work: sign in again over the page, which keeps its form and
// retries what was refused. Only without a session at all (or when the user gives up)…
onReauthenticate(() => (auth.isAuthenticated ? requestReauth() : Promise.resolve(false)))

// …is it signed out here and sent to the login page.
onAuthFailure(() => {
  auth.clear()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    void router.replace({ name: 'login', query: { redirect: current.fullPath } })
  }
})

app.mount('#app')
