"""Extensions, created unbound here and bound in create_app()."""

from __future__ import annotations

from flask_cors import CORS
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from reqflow.core.models import Base
from reqflow.core.net import client_ip
from reqflow.core.verified_tokens import CachingJWTManager

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
jwt = CachingJWTManager()  # verifies each token once while it is cached
cors = CORS()
limiter = Limiter(key_func=client_ip, default_limits=[], headers_enabled=True)
