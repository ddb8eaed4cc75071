"""The cache shared by every process (``caches["shared"]``): login-failure counters and API
throttles, which must count across all gunicorn workers and hosts.

With ``REDIS_URL`` it is Redis, through Django's own Redis backend made tolerant: while Redis
is down (or does not answer within half a second) every call answers like an empty cache
(``get`` gives the default, ``set``/``add`` store nothing) and logs a warning, so pages still
work; the counters and throttles just do not count until Redis is back (the per-address login
lock of django-axes is kept in the database and still applies). The same idea as
django-redis's ``IGNORE_EXCEPTIONS``, without a second Redis client library.
The per-process reference data stays in the ``default`` (local memory) cache.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
DOWN = (RedisError, OSError)


def _tolerant(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except DOWN as exc:
                logger.warning("shared cache unavailable (%s): %s", method.__name__, exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


class TolerantRedisCache(RedisCache):
    get = _tolerant(_default)(RedisCache.get)
    get_many = _tolerant(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _tolerant(lambda *a, **k: False)(RedisCache.has_key)
    add = _tolerant(lambda *a, **k: False)(RedisCache.add)
    set = _tolerant(lambda *a, **k: None)(RedisCache.set)
    set_many = _tolerant(lambda *a, **k: [])(RedisCache.set_many)
    touch = _tolerant(lambda *a, **k: False)(RedisCache.touch)
    delete = _tolerant(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _tolerant(lambda *a, **k: None)(RedisCache.delete_many)
    incr = _tolerant(lambda *a, **k: 0)(RedisCache.incr)
    clear = _tolerant(lambda *a, **k: None)(RedisCache.clear)


def shared_cache():
    from django.core.cache import caches

    return caches["shared"]
