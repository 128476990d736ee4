"""The support plan pages: plans.py has the list, drafting, a plan's own page and what is done
to a whole plan; items.py the pages for a plan's goals and actions, which the plan page embeds.
"""
