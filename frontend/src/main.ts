import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { onAuthFailure } from './api/http'
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

// A session that can no longer be refreshed: sign out here and ask to sign in again.
onAuthFailure(() => {
  auth.clear()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    void router.replace({ name: 'login', query: { redirect: current.fullPath } })
  }
})

app.mount('#app')
