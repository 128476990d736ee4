"""The stack-check task counts the program's practices inside that program's scope."""

from psp.demo.tasks import worker_check


def test_the_worker_check_counts_only_the_named_programs_practices(world, other_world):
    assert worker_check.delay(program_id=world.program.pk).get() == 2
