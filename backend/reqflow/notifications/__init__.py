"""In-app notifications, e-mail, and Socket.IO rooms and pushes. Only listens to events."""
