"""Actions: what someone in a practice (or its coach) will do, for a plan goal or agreed at a
visit without a plan; each with its owner, due date and status history. Here too are the
follow-up lists that chase them: a person's own ("my actions"), a practice's, and the panels on
the home and practice pages."""
