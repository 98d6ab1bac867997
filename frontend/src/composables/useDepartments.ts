import { ref } from 'vue'
import { listAllDepartments } from '@/api/departments'
import type { Department } from '@/types/identity'

/** Departments for select boxes, loaded once per component. */
export function useDepartmentOptions() {
  const departments = ref<Department[]>([])
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      departments.value = await listAllDepartments()
    } catch {
      departments.value = []
    } finally {
      loading.value = false
    }
  }

  return { departments, loading, load }
}
