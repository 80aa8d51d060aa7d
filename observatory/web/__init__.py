"""The Django project: one output of the lake and analysis layers among others.

Apps: `accounts` (organisations, users, roles: the base of all access control) and `shell`
(the frame every page sits in). Later issues add delivery, training, incidents, knowledge and
dashboards beside them.
"""
