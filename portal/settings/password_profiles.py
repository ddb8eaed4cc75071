"""The two password profiles (pure data, so settings can read them without importing Django).

See portal/accounts/passwords.py for what each profile means.
"""

COMMON = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

PROFILES: dict[str, dict] = {
    "dengbao": {
        "validators": [
            {
                "NAME": "portal.accounts.passwords.MinimumLengthValidator",
                "OPTIONS": {"min_length": 8},
            },
            {"NAME": "portal.accounts.passwords.CompositionValidator"},
            *COMMON,
        ],
        "max_age_days": 90,
    },
    "asvs": {
        "validators": [
            {
                "NAME": "portal.accounts.passwords.MinimumLengthValidator",
                "OPTIONS": {"min_length": 12},
            },
            {"NAME": "portal.accounts.passwords.MaximumLengthValidator"},
            *COMMON,
        ],
        "max_age_days": None,
    },
}
