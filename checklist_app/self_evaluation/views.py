"""Self-evaluation pages: list and start, overview, checkpoints, sign-off, reopen, board comments.

Action-plan pages are in action_views.py; comparison, trust view and local checkpoints in
review_views.py. All three register on the one blueprint ``bp``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from checklist_app import clock
from checklist_app.auth.models import Role
from checklist_app.checklist_engine.forms import answers_from_form, choice_list, form_data_from_answers
from checklist_app.concurrency import Conflict
from checklist_app.editing import round_trip, run
from checklist_app.security import LEADERS, READERS, allow, can, current_role, current_school
from checklist_app.self_evaluation import board, carry, insights, services
from checklist_app.self_evaluation.blueprint import bp
from checklist_app.self_evaluation.forms import (
    BoardCommentForm,
    BoardReplyForm,
    ReopenForm,
    StartForm,
    checkpoint_form_class,
    sign_off_form_class,
)
from checklist_app.self_evaluation.models import SelfEvaluation
from checklist_app.self_evaluation.pages import GOVERNORS, evaluation_for, locked_page
from checklist_app.self_evaluation.services import Locked, SelfEvaluationError
from checklist_app.self_evaluation.terms import Term, year_choices


def _start_form() -> StartForm:
    form = StartForm()
    form.academic_year.choices = choice_list([(y, y) for y in year_choices(clock.today())])
    if not form.is_submitted():
        current = Term.for_date(clock.today())
        form.academic_year.data, form.season.data = current.academic_year, current.season.value
    return form


def _index_page(form: StartForm, status: int = 200):
    school = current_school()
    last, next_term = carry.next_term_for(school.id)
    return render_template("self_evaluation/index.html", school=school, form=form,
                           evaluations=services.list_self_evaluations(school, current_role()),
                           last=last, next_term=next_term), status


@bp.get("/")
@allow(READERS)
def index():
    """The school's self-evaluations by term, and starting one."""
    return _index_page(_start_form())


@bp.post("/start")
@allow(LEADERS)
def start():
    """Start a term's self-evaluation on the newest published edition."""
    form = _start_form()
    if not form.validate_on_submit():
        return _index_page(form, 400)
    try:
        evaluation = run(lambda: services.start(
            current_school(), Term(form.academic_year.data, form.season.data), current_user))
    except SelfEvaluationError as error:
        form.season.errors = [str(error)]
        return _index_page(form, 409)
    flash(f"Self-evaluation for {evaluation.term.label} started.", "success")
    return redirect(url_for(".overview", evaluation_id=evaluation.id))


@bp.post("/next-term")
@allow(LEADERS)
def next_term():
    """Carry the last self-evaluation into the next term (and the newest edition)."""
    try:
        evaluation = run(lambda: carry.start_next_term(current_school(), current_user))
    except SelfEvaluationError as error:
        flash(str(error), "error")
        return redirect(url_for(".index"))
    flash(f"Self-evaluation for {evaluation.term.label} started from "
          f"{evaluation.carry_notes['from_term']}.", "success")
    return redirect(url_for(".overview", evaluation_id=evaluation.id))


def _reply_forms(comments, submitted: tuple[int, BoardReplyForm] | None) -> dict[int, BoardReplyForm]:
    """A reply form for each comment still awaiting a reply (senior leaders only); the one just
    submitted keeps what was typed."""
    if not can(LEADERS):
        return {}
    kept = dict([submitted]) if submitted else {}
    return {c.id: kept.get(c.id) or BoardReplyForm(prefix=f"reply-{c.id}", formdata=None,
                                                   version=c.version)
            for c in comments if c.awaiting_reply}


def _overview_page(evaluation: SelfEvaluation, comment_form=None, status: int = 200,
                   reply_form=None, problem: str | None = None):
    definition = services.definition_for(evaluation)
    checkpoints = services.checkpoints_of(evaluation, definition)
    if comment_form is None and current_role() is Role.GOVERNOR and evaluation.is_finalised:
        comment_form = BoardCommentForm()
    comments = board.board_comments(evaluation)
    return render_template(
        "self_evaluation/overview.html", evaluation=evaluation, definition=definition,
        checkpoints=checkpoints, progress=insights.progress(checkpoints, definition.rating_scale),
        revisions=services.revisions_of(evaluation), comments=comments,
        reply_forms=_reply_forms(comments, reply_form), problem=problem,
        sign_off=services.sign_off_dates(evaluation), comment_form=comment_form,
        editable=can(LEADERS) and not evaluation.is_finalised and evaluation.is_current), status


@bp.get("/<int:evaluation_id>")
@allow(READERS)
def overview(evaluation_id: int):
    """Progress, checkpoints needing attention, sign-off and links."""
    return _overview_page(evaluation_for(evaluation_id))


def _confirms_review(evaluation: SelfEvaluation, answer) -> bool:
    """A carried-forward term asks for "reviewed this term" on each answer it holds."""
    return bool(evaluation.carry_notes.get("from_id")) and answer is not None


def _checkpoint_page(evaluation: SelfEvaluation, item_id: str, form=None, conflict=None,
                     status: int = 200):
    definition = services.definition_for(evaluation)
    item = services.find_checkpoint(definition, item_id)
    checkpoints = services.checkpoints_of(evaluation, definition)
    here = next((c for c in checkpoints if c.item.id == item.id), None)
    if form is None:
        answer = here.answer if here else None
        stored = {item.id: {"rating": answer.rating, **answer.answers}} if answer else {}
        review = {"reviewed": answer.reviewed_this_term} if _confirms_review(evaluation, answer) else {}
        form = checkpoint_form_class(definition, item, bool(review))(
            data={**form_data_from_answers(stored, definition, [item]), **review,
                  "version": str(answer.version) if answer else "0"})
    ids = [c.item.id for c in checkpoints]
    position = ids.index(item.id) if item.id in ids else -1
    return render_template(
        "self_evaluation/checkpoint.html", evaluation=evaluation, definition=definition, item=item,
        checkpoint=here, form=form, conflict=conflict,
        earlier=carry.earlier_wording(evaluation, item.id),
        previous_id=ids[position - 1] if position > 0 else None,
        next_id=ids[position + 1] if 0 <= position < len(ids) - 1 else None,
        editable=can(LEADERS) and not evaluation.is_finalised and evaluation.is_current
        and not item.withdrawn), status


@bp.get("/<int:evaluation_id>/checkpoints/<item_id>")
@allow(READERS)
def checkpoint(evaluation_id: int, item_id: str):
    """One checkpoint: full text, guidance, rating and the three evidence prompts."""
    return _checkpoint_page(evaluation_for(evaluation_id), item_id)


@bp.post("/<int:evaluation_id>/checkpoints/<item_id>")
@allow(LEADERS)
def save_checkpoint(evaluation_id: int, item_id: str):
    """Save a checkpoint as a draft."""
    evaluation = evaluation_for(evaluation_id)
    definition = services.definition_for(evaluation)
    item = services.find_checkpoint(definition, item_id)
    confirm = _confirms_review(evaluation, services.answers_by_item(evaluation).get(item.id))
    form = checkpoint_form_class(definition, item, confirm)()
    if not form.validate_on_submit():
        return _checkpoint_page(evaluation, item_id, form, status=400)
    evidence = answers_from_form(form, definition, [item])[item.id]
    rating = evidence.pop("rating")
    reviewed = bool(form.reviewed.data) if confirm else True
    try:
        run(lambda: services.save_checkpoint(evaluation, item, form.version.data, rating, evidence,
                                             current_user, reviewed))
    except Locked as error:
        return locked_page(error)
    except SelfEvaluationError as error:
        flash(str(error), "error")
        return _checkpoint_page(evaluation, item_id, form, status=400)
    except Conflict as error:
        saved = services.answers_by_item(evaluation).get(item.id)
        form.version.data = str(saved.version) if saved else "0"
        return _checkpoint_page(evaluation, item_id, form, conflict=error, status=409)
    flash(f"Checkpoint {item.number} saved as a draft.", "success")
    target = request.form.get("go")
    if target and definition.item(target):
        return redirect(url_for(".checkpoint", evaluation_id=evaluation.id, item_id=target))
    return redirect(url_for(".checkpoint", evaluation_id=evaluation.id, item_id=item.id))


def _sign_off_page(evaluation: SelfEvaluation, form, status: int = 200, problem: str = "",
                   saved: dict | None = None):
    return render_template("self_evaluation/sign_off.html", evaluation=evaluation, form=form,
                           problem=problem, saved=saved), status


@bp.get("/<int:evaluation_id>/sign-off")
@allow(LEADERS)
def sign_off(evaluation_id: int):
    """The sign-off block (school name, person completing, role, dates, comments)."""
    evaluation = evaluation_for(evaluation_id)
    if evaluation.is_finalised or not evaluation.is_current:
        flash("This self-evaluation has already been finalised; its sign-off is shown below.", "info")
        return redirect(url_for(".overview", evaluation_id=evaluation.id))
    data = {"school_name": current_school().name, "person_completing": current_user.name,
            "role": current_role().label, "date": clock.today(),
            **{k: v for k, v in services.sign_off_dates(evaluation).items() if v}}
    form = sign_off_form_class(services.definition_for(evaluation), False)(
        data={**data, "version": str(evaluation.version)})
    return _sign_off_page(evaluation, form)


@bp.post("/<int:evaluation_id>/sign-off")
@allow(LEADERS)
def save_sign_off(evaluation_id: int):
    """Save the sign-off, or sign off and finalise (which locks the self-evaluation)."""
    evaluation = evaluation_for(evaluation_id)
    definition = services.definition_for(evaluation)
    finalising = request.form.get("intent") == "finalise"
    form = sign_off_form_class(definition, finalising)()
    if not form.validate_on_submit():
        return _sign_off_page(evaluation, form, 400)
    values = {spec.id: form[spec.id].data for spec in definition.sign_off}
    try:
        if finalising:
            run(lambda: services.finalise(evaluation, form.version.data, values, current_user,
                                          clock.today()), evaluation)
        else:
            run(lambda: services.save_sign_off(evaluation, form.version.data, values), evaluation)
    except Locked as error:
        return locked_page(error)
    except Conflict as error:
        form.version.data = str(evaluation.version)
        return _sign_off_page(evaluation, form, 409, str(error), services.sign_off_dates(evaluation))
    except SelfEvaluationError as error:
        return _sign_off_page(evaluation, form, 400, str(error))
    flash(f"Self-evaluation for {evaluation.term.label} finalised." if finalising
          else "Sign-off saved.", "success")
    return redirect(url_for(".overview", evaluation_id=evaluation.id))


@bp.route("/<int:evaluation_id>/reopen", methods=["GET", "POST"])
@allow(LEADERS)
def reopen(evaluation_id: int):
    """Reopen a finalised self-evaluation as a new revision, with a reason."""
    evaluation = evaluation_for(evaluation_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            revision = run(lambda: services.reopen(evaluation, form.reason.data, current_user))
        except SelfEvaluationError as error:
            flash(str(error), "error")
            return redirect(url_for(".overview", evaluation_id=evaluation.id))
        flash(f"Reopened as revision {revision.revision}. Revision {evaluation.revision} stays "
              "as it was finalised.", "success")
        return redirect(url_for(".overview", evaluation_id=revision.id))
    return render_template("self_evaluation/reopen.html", evaluation=evaluation, form=form), \
        400 if form.errors else 200


@bp.post("/<int:evaluation_id>/board-comments")
@allow(GOVERNORS, governor_may_post=True)
def add_board_comment(evaluation_id: int):
    """A governor's dated comment on a finalised self-evaluation."""
    evaluation = evaluation_for(evaluation_id)
    form = BoardCommentForm()
    if not form.validate_on_submit():
        return _overview_page(evaluation, form, 400)
    try:
        run(lambda: board.add_board_comment(evaluation, form.body.data, current_user))
    except SelfEvaluationError as error:
        flash(str(error), "error")
    else:
        flash("Your comment has been added for the governing board.", "success")
    return redirect(url_for(".overview", evaluation_id=evaluation.id) + "#board-comments")



@bp.post("/<int:evaluation_id>/board-comments/<int:comment_id>/reply")
@allow(LEADERS)
def reply_to_board_comment(evaluation_id: int, comment_id: int):
    """A senior leader's dated reply to a governing board comment."""
    evaluation = evaluation_for(evaluation_id)
    comment = board.comment_on(evaluation, comment_id)
    form = BoardReplyForm(prefix=f"reply-{comment.id}")
    back = url_for(".overview", evaluation_id=evaluation.id) + f"#comment-{comment.id}"

    def render(status: int, problem: str | None = None, **_: object):
        return _overview_page(evaluation, None, status, (comment.id, form), problem)

    if not comment.awaiting_reply:
        return render(409, problem=str(board.already_replied(comment)))
    return round_trip(form, lambda: board.reply_to_comment(
        comment, form.body.data, current_user, form.version.data, clock.now()),
        render=render, done="Your reply has been added for the governing board.", to=back,
        record=comment)
