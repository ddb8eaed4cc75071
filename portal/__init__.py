"""惠企政策兑现平台 project package.

Importing it loads nothing: the award engine (``policies.engine``) imports ``portal.core.money``
and must stay free of Django and Celery. The Celery app (``portal/celery.py``) is loaded by
``portal.core``'s AppConfig when Django starts, so ``@shared_task`` binds to it; the worker finds
it with ``celery -A portal`` (Celery looks up ``portal.celery``).
"""
