"""The outbox: tasks that must not be lost, written in the same transaction as their cause."""
