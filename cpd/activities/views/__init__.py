"""The CPD activity pages, one module per kind: a person's own (mine), one activity and its
buttons (activity), others' CPD and the verifier's queue (others), program activities
(offerings)."""
