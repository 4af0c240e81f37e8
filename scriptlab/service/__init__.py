"""Service metrics from the same chat logs: how fast and how much each agent answers."""
