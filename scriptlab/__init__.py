"""scriptlab: mine customer questions, quiz agents, score answers, publish the best as scripts."""

__version__ = "0.1.0"
