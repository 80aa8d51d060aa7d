"""Organisations, users and roles: who someone is, who they work for, and what they may see."""
