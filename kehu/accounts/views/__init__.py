"""Accounts pages: login, profile, and user/department/role administration."""
