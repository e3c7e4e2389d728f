"""Custom fields (P13): administrators add fields to customers, contacts and later records.

The functions apps call live in `kehu.core.customfields.engine` (see its docstring).
"""
