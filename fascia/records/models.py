"""The client health record: health histories (versioned), consents, treatment plans, treatment
notes (signed, then never changed; amendments keep the original), outcome scores and range of
motion. Every write goes through `fascia.records.actions`."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from fascia.practices.tenancy import PracticeOwned


class HistorySource(models.TextChoices):
    ONLINE = "online", _("Client, online (account)")
    LINK = "link", _("Client, through a secure link")
    STAFF = "staff", _("Staff, with the client (verbal)")
    VISIT_UPDATE = "visit_update", _("Therapist, changes at a visit")


class HealthHistory(PracticeOwned):
    """One version of a client's health history; a change is a new version, old ones stay."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    skipped = models.JSONField(default=dict, help_text=_("Question → the client's reason."))
    source = models.CharField(max_length=14, choices=HistorySource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="history_version_unique")
        ]

    def __str__(self) -> str:
        return f"Health history v{self.version} of {self.client}"


class HistoryReview(PracticeOwned):
    """At a visit: "any changes since last time?" — confirmed unchanged, or a new version."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    history = models.ForeignKey(HealthHistory, on_delete=models.PROTECT, related_name="+")
    changed = models.BooleanField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"History reviewed for {self.appointment}"


class IntakeLink(PracticeOwned):
    """A single-use link for a client to fill in their health history without signing in."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Intake link for {self.client}"


class ConsentScope(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    TREATMENT = "treatment", _("Treatment")
    PLAN_CHANGE = "plan_change", _("Change to the treatment plan")
    SENSITIVE_AREA = "sensitive_area", _("Sensitive area")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbal (recorded by the therapist)")
    WRITTEN = "written", _("Written (signed)")


class TreatmentPlan(PracticeOwned):
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    goals = models.TextField()
    areas = models.JSONField(default=list)
    techniques = models.JSONField(default=list)
    pressure = models.CharField(max_length=20)
    frequency = models.CharField(max_length=100, help_text=_("e.g. weekly for 4 weeks, then …"))
    visits_planned = models.PositiveSmallIntegerField()
    after_effects = models.TextField(help_text=_("Expected after-effects and risks explained."))
    created_at = models.DateTimeField()
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Treatment plan for {self.client} ({self.created_at:%Y-%m-%d})"


class Consent(PracticeOwned):
    """A consent decision with the six elements CMTO lists, who recorded it, when and how; a
    withdrawal is recorded on it (the decision itself never changes)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=16, choices=ConsentScope.choices)
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    areas = models.JSONField(default=list, blank=True)
    nature = models.TextField(_("nature of the treatment"))
    benefits = models.TextField(_("expected benefits"))
    risks = models.TextField(_("material risks and side effects"))
    alternatives = models.TextField()
    consequences = models.TextField(_("likely consequences of not having it"))
    withdrawal_explained = models.BooleanField(
        _("told consent can be withdrawn or the treatment changed at any time")
    )
    given = models.BooleanField(help_text=_("The client's decision: given or refused."))
    method = models.CharField(max_length=8, choices=ConsentMethod.choices)
    signature = models.TextField(blank=True, help_text=_("Written: the signature drawn or typed."))
    signed_name = models.CharField(max_length=150, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["client", "scope"], name="consent_by_client")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} consent of {self.client}"

    @property
    def in_force(self) -> bool:
        return self.given and self.withdrawn_at is None


class Pressure(models.TextChoices):
    LIGHT = "light", _("Light")
    MODERATE = "moderate", _("Moderate")
    FIRM = "firm", _("Firm")
    DEEP = "deep", _("Deep")


class TreatmentNote(PracticeOwned):
    """The SOAP note of one appointment. Once signed it never changes: the database refuses
    it; corrections are `NoteAmendment`s."""

    appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(_("assessment / action"), blank=True)
    plan_text = models.TextField("plan", blank=True)
    techniques = models.JSONField(default=list, blank=True)
    areas_treated = models.JSONField(default=list, blank=True)
    pressure = models.CharField(max_length=10, choices=Pressure.choices, blank=True)
    client_response = models.TextField(blank=True)
    body_chart = models.JSONField(default=list, blank=True)
    self_care = models.TextField(blank=True)
    acknowledged_alerts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["client", "created_at"], name="note_by_client"),
            models.Index(
                fields=["therapist"],
                name="unsigned_note_by_therapist",
                condition=Q(signed_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"Treatment note for {self.appointment}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class NoteAmendment(PracticeOwned):
    """A correction to a signed note: the original stays visible beside it."""

    note = models.ForeignKey(TreatmentNote, on_delete=models.PROTECT, related_name="amendments")
    text = models.TextField()
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Amendment to {self.note}"


class OutcomeScore(PracticeOwned):
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measure = models.CharField(max_length=8)
    answers = models.JSONField(default=list)
    activities = models.JSONField(default=list, blank=True, help_text=_("PSFS: the activities."))
    value = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    complete = models.BooleanField()
    band = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["client", "measure"], name="outcome_by_client")]

    def __str__(self) -> str:
        return f"{self.measure.upper()} {self.value} for {self.client}"


class QuestionnaireRequest(PracticeOwned):
    """An outcome questionnaire the therapist asked the client to fill in from their account
    (before their next visit); answered once, by the client, into an `OutcomeScore`."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=8)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField()
    score = models.OneToOneField(
        OutcomeScore, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "measure"],
                condition=models.Q(answered_at=None),
                name="questionnaire_one_open_per_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.upper()} asked of {self.client}"


class RangeOfMotion(PracticeOwned):
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    joint = models.CharField(max_length=30)
    movement = models.CharField(max_length=30)
    side = models.CharField(max_length=5, blank=True)
    degrees = models.DecimalField(max_digits=5, decimal_places=1)
    active = models.BooleanField(default=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.side} {self.joint} {self.movement} {self.degrees}°".strip()


class ExerciseKind(models.TextChoices):
    STRETCH = "stretch", _("Stretch")
    STRENGTHENING = "strengthening", _("Strengthening")
    HYDROTHERAPY = "hydrotherapy", _("Hydrotherapy")
    POSTURE = "posture", _("Posture and ergonomics")


class SelfCareExercise(PracticeOwned):
    """One entry of the practice's self-care library."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=14, choices=ExerciseKind.choices)
    instructions = models.TextField(help_text=_("How to do it, step by step, with cautions."))
    illustration = models.TextField(
        blank=True, help_text=_("What the picture shows (also read out by screen readers).")
    )
    sets = models.PositiveSmallIntegerField(null=True, blank=True)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    how_often = models.CharField(max_length=100, help_text=_("e.g. twice a day"))
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="self_care_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dose(self) -> str:
        parts = []
        if self.sets:
            parts.append(ngettext("%(sets)d set", "%(sets)d sets", self.sets) % {"sets": self.sets})
        if self.reps:
            parts.append(
                ngettext("%(reps)d repetition", "%(reps)d repetitions", self.reps)
                % {"reps": self.reps}
            )
        if self.hold_seconds:
            parts.append(gettext("hold %(seconds)d s") % {"seconds": self.hold_seconds})
        parts.append(self.how_often)
        return ", ".join(parts)


class SelfCarePlan(PracticeOwned):
    """The home care given at a visit: exercises (with their dose as prescribed) and when to
    come back; sent to the client's account and by email, printable as PDF."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    therapist = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(
        default=list, help_text=_("[{exercise, name, kind, instructions, dose, note}] as given.")
    )
    next_visits = models.CharField(
        _("recommended next visits"), max_length=200, help_text=_("e.g. weekly for 3 more weeks")
    )
    advice = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Self-care plan for {self.client} ({self.created_at:%Y-%m-%d})"


class Disclosure(PracticeOwned):
    """A progress report sent outside the practice (to a physician or insurer), with the
    client's consent to that disclosure (PHIPA)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(max_length=200, help_text=_("e.g. Dr. Lee, family physician"))
    purpose = models.CharField(max_length=200)
    consent_method = models.CharField(max_length=8, choices=ConsentMethod.choices)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    disclosed_at = models.DateTimeField()

    class Meta:
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"Progress report for {self.client} to {self.recipient}"


class TestResult(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class Assessment(PracticeOwned):
    """What the therapist found at a visit: posture, special (orthopaedic) tests, palpation.
    Range of motion and outcome measures are their own records."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    posture = models.TextField(blank=True)
    palpation = models.TextField(blank=True)
    special_tests = models.JSONField(default=list, blank=True, help_text="[{name, side, result}]")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Assessment of {self.client} ({self.recorded_at:%Y-%m-%d})"


class NoteTemplate(PracticeOwned):
    """Wording a therapist starts a note from (e.g. "Tension headache follow-up")."""

    name = models.CharField(max_length=120)
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan_text = models.TextField(blank=True)
    techniques = models.JSONField(default=list, blank=True)
    areas_treated = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="note_template_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class EmergencyAccess(PracticeOwned):
    """A therapist's "break-glass" opening of the record of a client not in their care (no
    visit with them): why, and until when. Time-limited, on the audit log, and listed for the
    owner."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("why the record is needed now"))
    opened_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")

    def __str__(self) -> str:
        return f"{self.opened_by_id} → {self.client_id} until {self.ends_at:%Y-%m-%d %H:%M}"


class RecordDisposal(PracticeOwned):
    """The disposal log: a client's record destroyed after its retention period — who, when,
    how and how much, and no health information (the client only by their former number)."""

    client_number = models.PositiveBigIntegerField(_("former client number"))
    last_entry_on = models.DateField(_("last entry"))
    kept_until = models.DateField(_("retention ended"))
    disposed_at = models.DateTimeField(_("destroyed"))
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("how"), max_length=255)
    rows_destroyed = models.JSONField(_("rows destroyed, by kind"), default=dict)

    class Meta:
        ordering = ["-disposed_at"]
        verbose_name = _("record disposal")

    def __str__(self) -> str:
        return f"client {self.client_number} destroyed {self.disposed_at:%Y-%m-%d}"


class RecordRequestKind(models.TextChoices):
    ACCESS = "access", _("see their record")
    CORRECTION = "correction", _("correct their record")


class RecordRequestOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Granted in part")
    REFUSED = "refused", _("Refused")


class RecordRequest(PracticeOwned):
    """A client's request to see or to correct their record, with its deadline (30 days, once
    extended by up to 30 more with a notice) and its outcome."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=RecordRequestKind.choices)
    received_on = models.DateField(_("received on"))
    asked_for = models.TextField(_("what the client asked for"))
    due_on = models.DateField(_("answer by"))
    extended_to = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("why more time was needed"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=RecordRequestOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("what was given or changed"), blank=True)
    refusal_reason = models.TextField(_("why it was refused"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("request about a record")

    def __str__(self) -> str:
        return f"{self.kind} request of {self.received_on} (client {self.client_id})"

    @property
    def deadline(self) -> date:
        return self.extended_to or self.due_on


class RecordTransfer(PracticeOwned):
    """A therapist who leaves asks to take the records of the clients in their care; the owner
    (for the custodian) approves or refuses, and the approval is kept with the download."""

    therapist = models.ForeignKey("practices.Therapist", on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"))
    reason = models.TextField(_("where the records go, and why"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    refusal_reason = models.TextField(_("why it was refused"), blank=True)
    refused_at = models.DateTimeField(_("refused"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("transfer of records")

    def __str__(self) -> str:
        return f"records of therapist {self.therapist_id}, asked {self.asked_at:%Y-%m-%d}"


class RecordStamp(models.Model):
    """A random token per client, replaced whenever anything of the client's record changes,
    so a chart drawn before the change is never shown again (`remembered_chart.py`). The client
    is a plain number: stamps are never shown and never stand in the way of deleting a record."""

    client_id = models.BigIntegerField(unique=True)
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return f"client {self.client_id}"
