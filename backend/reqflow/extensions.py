"""Extensions, created unbound here and bound in create_app()."""

from __future__ import annotations

from flask_cors import CORS
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from reqflow.core.models import Base
from reqflow.core.net import client_ip
from reqflow.core.request_session import Session
from reqflow.core.verified_tokens import CachingJWTManager

# The session class runs post-commit work once commit() returns (core/request_session.py).
db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
jwt = CachingJWTManager()  # verifies each token once while it is cached
cors = CORS()
limiter = Limiter(key_func=client_ip, default_limits=[], headers_enabled=True)
