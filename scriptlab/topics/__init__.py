"""The trainer's control over topics: list, ban, unban, merge, split, rename."""
