"""Reads of instruments, their versions and structure, and the change library, for pages and the
API, and of what a round answers (published versions, a version's questions in order). Each
selector joins what its page shows, so a page costs the same few queries however many domains,
questions, options or versions an instrument has."""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from assessments.instruments.models import (
    ChangeIdea,
    Domain,
    Instrument,
    InstrumentVersion,
    Option,
    Question,
    QuestionKind,
    VersionStatus,
)


def _version_of_status(status: str):
    return InstrumentVersion.objects.filter(instrument=OuterRef("pk"), status=status)


def with_current_versions(queryset: QuerySet[Instrument]) -> QuerySet[Instrument]:
    """Annotates the published and the draft version (id and number; None when there is none)."""
    published = _version_of_status(VersionStatus.PUBLISHED)
    draft = _version_of_status(VersionStatus.DRAFT)
    return queryset.annotate(
        published_version_id=Subquery(published.values("pk")[:1]),
        published_version_number=Subquery(published.values("number")[:1]),
        draft_version_id=Subquery(draft.values("pk")[:1]),
        draft_version_number=Subquery(draft.values("number")[:1]),
    )


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=InstrumentVersion.objects.select_related("created_by", "published_by")
        .annotate(
            domain_count=Count("domains", distinct=True),
            question_count=Count("questions", distinct=True),
        )
        .order_by("-number"),
        to_attr="version_list",
    )


def instrument_list() -> QuerySet[Instrument]:
    """The program's instruments by name, each with its versions (newest first, as
    `version_list`, with domain and question counts) and its active change ideas counted."""
    ideas = (
        ChangeIdea.objects.filter(instrument=OuterRef("pk"), is_active=True)
        .order_by()
        .values("instrument")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        with_current_versions(Instrument.objects.all())
        .annotate(active_idea_count=Subquery(ideas[:1]))
        .prefetch_related(_versions_prefetch())
        .order_by("name", "pk")
    )


def instruments_in_program() -> QuerySet[Instrument]:
    """The program's instruments, as they are: for looking up one named in input."""
    return Instrument.objects.all()


def instrument_detail(*, pk) -> Instrument:
    """One instrument with its version history; Instrument.DoesNotExist when not in scope."""
    return instrument_list().get(pk=pk)


def structure_prefetch(prefix: str = "") -> Prefetch:
    """Domains (as `domain_list`), their questions (`question_list`) and the questions'
    options (`option_list`), in order, in three queries whatever the size."""
    options = Option.objects.order_by("position", "pk")
    questions = Question.objects.order_by("position", "pk").prefetch_related(
        Prefetch("options", queryset=options, to_attr="option_list")
    )
    domains = Domain.objects.order_by("position", "pk").prefetch_related(
        Prefetch("questions", queryset=questions, to_attr="question_list")
    )
    return Prefetch(f"{prefix}domains", queryset=domains, to_attr="domain_list")


def version_list() -> QuerySet[InstrumentVersion]:
    """Every version of every instrument, newest first within each instrument."""
    return (
        InstrumentVersion.objects.select_related("instrument", "created_by", "published_by")
        .annotate(
            domain_count=Count("domains", distinct=True),
            question_count=Count("questions", distinct=True),
        )
        .order_by("instrument__name", "instrument_id", "-number")
    )


def version_with_structure() -> QuerySet[InstrumentVersion]:
    """Versions with their whole structure joined (see structure_prefetch)."""
    return InstrumentVersion.objects.select_related(
        "instrument", "created_by", "published_by"
    ).prefetch_related(structure_prefetch())


def version_detail(*, pk) -> InstrumentVersion:
    return decorate_structure(version_with_structure().get(pk=pk))


def decorate_structure(version: InstrumentVersion) -> InstrumentVersion:
    """Gives each scale question of a version fetched with structure_prefetch its `anchors`:
    (point, label) for every point of its scale, for pages that show the scale."""
    for domain in version.domain_list:
        for question in domain.question_list:
            question.anchors = scale_anchors(question)
    return version


def scale_anchors(question: Question) -> list[tuple[int, str]]:
    if question.kind != QuestionKind.SCALE or question.scale_max - question.scale_min > 10:
        return []
    labels = question.scale_labels if isinstance(question.scale_labels, dict) else {}
    points = range(question.scale_min, question.scale_max + 1)
    return [(point, labels.get(str(point), "")) for point in points]


def published_version(*, instrument: Instrument) -> InstrumentVersion | None:
    """The version new assessments of the instrument use, with its structure; None if none."""
    pk = getattr(instrument, "published_version_id", None)
    if pk is None and not hasattr(instrument, "published_version_id"):
        found = InstrumentVersion.objects.filter(
            instrument=instrument, status=VersionStatus.PUBLISHED
        ).first()
        pk = found.pk if found else None
    return None if pk is None else version_detail(pk=pk)


def structure_counts(version: InstrumentVersion) -> dict:
    """Counts of a version fetched with structure_prefetch, for summaries."""
    questions = [q for d in version.domain_list for q in d.question_list]
    return {
        "domains": len(version.domain_list),
        "questions": len(questions),
        "scored": sum(q.is_scored for q in questions),
    }


# What a round answers: published versions and a version's content -------------------------


def published_versions() -> QuerySet[InstrumentVersion]:
    """Versions a new round can use: published ones, newest of each instrument first."""
    return (
        InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("instrument")
        .order_by("instrument__name", "-number")
    )


def version_structure(*, version_id) -> list[Domain]:
    """The version's domains in order, each with its questions and their options prefetched
    (`domain.questions.all()`, `question.options.all()`): three queries whatever the size."""
    questions = Question.objects.order_by("position", "pk").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
    )
    return list(
        Domain.objects.filter(version_id=version_id)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )


def version_question(*, version_id, pk) -> Question:
    """One question of a version with its options; DoesNotExist if it is not in the version."""
    return (
        Question.objects.filter(version_id=version_id)
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "pk")))
        .get(pk=pk)
    )


def questions_of(domains) -> list[Question]:
    return [question for domain in domains for question in domain.questions.all()]


# Page objects: each builder page's object with the parents its header names ------------------


def domain_for_page() -> QuerySet[Domain]:
    return Domain.objects.select_related("version", "version__instrument")


def question_for_page() -> QuerySet[Question]:
    return Question.objects.select_related("version", "version__instrument", "domain")


def option_for_page() -> QuerySet[Option]:
    return Option.objects.select_related(
        "question", "question__domain", "question__version", "question__version__instrument"
    )


def question_with_options(*, pk) -> Question:
    return (
        question_for_page()
        .prefetch_related(
            Prefetch(
                "options", queryset=Option.objects.order_by("position", "pk"), to_attr="option_list"
            )
        )
        .get(pk=pk)
    )


def version_domains(*, version: InstrumentVersion) -> QuerySet[Domain]:
    return Domain.objects.filter(version=version).order_by("position", "pk")


# The change library ---------------------------------------------------------------------------


def change_idea_list() -> QuerySet[ChangeIdea]:
    return ChangeIdea.objects.select_related("instrument").order_by(
        "instrument__name", "instrument_id", "domain_key", "position", "pk"
    )


def change_idea_for_page() -> QuerySet[ChangeIdea]:
    return ChangeIdea.objects.select_related("instrument")


def domain_names(*, instrument: Instrument) -> dict[str, str]:
    """Domain key -> name, as the newest version that has the key names it."""
    rows = (
        Domain.objects.filter(version__instrument=instrument)
        .order_by("version__number", "position")
        .values_list("key", "name")
    )
    return dict(rows)


def current_domain_keys(*, instrument: Instrument) -> list[str]:
    """The domain keys of the newest version, in order (the draft's when there is one)."""
    newest = InstrumentVersion.objects.filter(instrument=instrument).order_by("-number").first()
    if newest is None:
        return []
    return list(version_domains(version=newest).values_list("key", flat=True))


def change_library(*, instrument: Instrument, include_inactive: bool = True) -> list[dict]:
    """The instrument's change ideas grouped by domain, in the newest version's domain order;
    ideas for domains no version has any more come last. Each group: key, name, ideas."""
    ideas = ChangeIdea.objects.filter(instrument=instrument).order_by("position", "pk")
    if not include_inactive:
        ideas = ideas.filter(is_active=True)
    names = domain_names(instrument=instrument)
    order = current_domain_keys(instrument=instrument)
    groups = {key: {"key": key, "name": names.get(key, key), "ideas": []} for key in order}
    for idea in ideas:
        group = groups.setdefault(
            idea.domain_key,
            {
                "key": idea.domain_key,
                "name": names.get(idea.domain_key, idea.domain_key),
                "ideas": [],
            },
        )
        group["ideas"].append(idea)
    for group in groups.values():
        group["in_current_version"] = group["key"] in order
    return list(groups.values())


def change_idea_counts(*, instrument: Instrument) -> dict[str, int]:
    """Active ideas per domain key."""
    rows = (
        ChangeIdea.objects.filter(instrument=instrument, is_active=True)
        .values_list("domain_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def loaded_pack_keys() -> set[str]:
    """Keys of the packs already loaded in the program in scope."""
    return set(
        Instrument.objects.exclude(source_pack="").values_list("source_pack", flat=True)
    ) | set(Instrument.objects.values_list("key", flat=True))
