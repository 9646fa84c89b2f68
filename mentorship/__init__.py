"""The mentorship domain (participants, programmes, pairs, roadmaps, monitoring, surveys).

Its models and services arrive with the issues that build them; the tenant layer below
gives each tenant-owned model its scope through ``SharedUpward`` or ``OwnerOnly``.
"""
