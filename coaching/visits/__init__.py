"""Facilitation visits: a coach's contacts with a practice, logged (minutes by support
activity, attendees, plan goals worked on, actions agreed) or planned ahead and later completed
or cancelled; an edit after the visit's day keeps the version it replaced."""
