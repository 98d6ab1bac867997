import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { onAuthFailure } from './api/http'
import { router } from './router'
import { useAuthStore } from './stores/auth'
import './styles/main.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)

// A session that can no longer be refreshed: sign out here and ask to sign in again.
onAuthFailure(() => {
  useAuthStore(pinia).clear()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    void router.replace({ name: 'login', query: { redirect: current.fullPath } })
  }
})

app.mount('#app')
