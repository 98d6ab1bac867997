"""Users, departments, authentication and the permission matrix."""
