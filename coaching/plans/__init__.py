"""Support plans: a plan drafted for a practice from a submitted assessment, with goals for its
weak domains proposed from the program's change library, worked on while a draft, accepted as
the practice's one active plan, and completed. A plan's goals are edited here too, and the plan
page's forms for its actions (the actions' own rules are in coaching/actions/)."""
