"""PDSA cycles on a plan's goals: plan, do, study, act (coaching/pdsa)."""
