"""The permission tables' rows of CPD progress. Everyone reads their own progress (cpd.record);
the program's completion, its CSV and its API are for those who read everyone's CPD (cpd.view
over the whole program: admins and managers; a lead, who reads only their practice's people,
gets 403). Reading someone else's progress (`?person=` in the API, the person's CPD page) is
tested in tests/cpd/progress/test_api.py and by the cpd:person rows."""

#  route                       method target       admin manager coach lead staff
PAGES = """
cpd:progress                   GET   -             ok    ok      ok    ok   ok
cpd:completion                 GET   -             ok    ok      403   403  403
cpd:completion_csv             GET   -             ok    ok      403   403  403
"""

#  route                       method target       admin manager coach lead staff
API = """
cpd-progress-list              GET    -            ok    ok      ok    ok   ok
cpd-completion-list            GET    -            ok    ok      403   403  403
"""
