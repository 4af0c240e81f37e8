"""People who sign in to `scriptlab serve`: users with a role, one-time sign-in links and
browser sessions. Plain library code: the CLI (`scriptlab users`, `scriptlab quiz invite`)
and the web app both call it."""
