"""Settings classes read from the environment."""
from config.settings import (  # noqa: F401
    BaseConfig,
    ConfigError,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_for,
)
