"""`scriptlab serve`: the workspace in the browser for the whole team.

Routes are thin over the library (`scriptlab.people`, `scriptlab.scoring.desk`,
`scriptlab.scoring.review_queue`): one module per desk (`agent`, `reviewer`; the trainer's
and lead's desks join the same way), sign-in and security in `auth` and `app`.
"""
