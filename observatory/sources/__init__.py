"""Readers, one per real-world input format: parse, validate, reject with a reason,
pseudonymise. No Django here. (Filled by the ingestion issue.)"""
