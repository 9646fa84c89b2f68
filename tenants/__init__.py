"""The tenant layer: organisation tree, users and roles, current tenant, automatic scoping."""
