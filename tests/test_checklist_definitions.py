"""Every definition in checklists/ validates, and the transcriptions match the source documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checklist_app.checklist_engine.loader import load_definition_file
from checklist_app.checklist_engine.schema import ResponseType

ROOT = Path(__file__).resolve().parent.parent
CHECKLISTS = ROOT / "checklists"
SEEDS = ROOT.parent / "shared" / "seeds"
DEFINITION_FILES = sorted(CHECKLISTS.glob("*/*.yaml"))

# A phrase from the start and the end of each of the 25 checkpoints of seed 004.
SELF_EVALUATION_PHRASES = {
    "1": ('Our school leadership team and governing board has read',
          "The school has had sight of the DfE's suspension and pe"),
    "2": ('Our school has a strong ethos and culture where attenda',
          'Our school is trauma informed and has embedded trauma i'),
    "3": ('Our school understands the expectations for LAs in impr',
          'This includes the purpose of Targeting Support Meetings'),
    "4": ('Our school is aware of its points of contact in PIAS fo',
          'Our school is aware of its points of contact in PIAS fo'),
    "5": ('Our school is confident in making a request for support',
          'Our school is confident in making a request for support'),
    "6": ('Our school has a designated senior member of school sta',
          'Their names is on our attendance policy.'),
    "7": ('Our school is familiar with the new category of severe ',
          'We feel confident to query how multi-agency partners ar'),
    "8": ("Our school's attendance policy is fit for purpose, incl",
          'We regularly keep up to date with any changes to nation'),
    "9": ("Our school's management information system is fit for p",
          "Our school's management information system is fit for p"),
    "10": ('Our school proactively uses data to identify pupils and',
          'Our school supports the expectation for schools by the '),
    "11": ('Our school has robust procedures to address and follow ',
          'Our school has robust recording systems, including the '),
    "12": ('Our school has a range of expertise and resources withi',
          'Our school uses a strengths-based approach when having '),
    "13": ('Our school has a governing board which takes a proactiv',
          'This may also include a governor / trustee on our board'),
    "14": ('Our school has engaging reward systems in place to prom',
          'Our school has engaging reward systems in place to prom'),
    "15": ('Our school has firm knowledge of register codes to appl',
          'This is particularly important in cases where enforceme'),
    "16": ('Our school understands the criteria for deletion of pup',
          'Our school notifies KCC when a pupil is admitted in-yea'),
    "17": ('Our school accesses the Digital Front Door (DFD) on KEL',
          'Our school recognises the difference between a persiste'),
    "18": ('Our school has good connections with other schools in t',
          'Our school participates at attendance network meetings '),
    "19": ('Our school has an additional action / improvement plan ',
          'Our school has an additional action / improvement plan '),
    "20": ('Where there is lack of engagement from parents with sup',
          'Our school recognises a parenting contract is a formal '),
    "21": ('Our school understands the range of legal interventions',
          'Our school knows that fixed penalty notices must adhere'),
    "22": ('Our staff, parents and pupils are aware precisely what ',
          'Our staff, parents and pupils are aware precisely what '),
    "23": ('Our school is familiar with part time timetables and th',
          'Our school recognises that part time timetables should '),
    "24": ('Our school has a good knowledge of resources and servic',
          'The school uses parent mail and social media platforms '),
    "25": ("Our school has signed up to the DfE's data sharing syst",
          "Our school has signed up to the DfE's data sharing syst"),
}


def _flat(text: str) -> str:
    return " ".join(text.replace("*", "").split())


@pytest.mark.parametrize("path", DEFINITION_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_definition_file_validates(path):
    definition = load_definition_file(path, CHECKLISTS)
    assert definition.key == path.parent.name
    assert definition.status == "published"
    assert definition.items()


def test_there_are_the_four_source_definitions():
    keys = {p.parent.name for p in DEFINITION_FILES}
    assert {"school-attendance-self-evaluation", "attendance-contract-checklist",
            "attendance-meeting", "attendance-review-meeting"} <= keys


def _self_evaluation():
    return load_definition_file(CHECKLISTS / "school-attendance-self-evaluation" / "2022.1.yaml")


def test_self_evaluation_has_25_checkpoints_with_seed_wording():
    """R1: 25 checkpoints, each with guidance references and the three evidence prompts."""
    definition = _self_evaluation()
    items = definition.items()
    assert [i.number for i in items] == [str(n) for n in range(1, 26)]
    for item in items:
        first, last = SELF_EVALUATION_PHRASES[item.number]
        assert first in _flat(item.text), item.number
        assert last in _flat(item.text), item.number
        assert item.guidance, f"checkpoint {item.number} has no guidance references"
        assert item.response.type is ResponseType.SELF_EVALUATION
    assert [p.label for p in definition.evidence_prompts] == [
        "Where are we now?", "What needs to happen next?",
        "How will we demonstrate impact of our decisions and actions?"]


def test_self_evaluation_guidance_references():
    definition = _self_evaluation()
    six = definition.item("sa-06-senior-attendance-champion")
    assert ("WTTISA", "[16;17;37;56]") in [(g.label, g.reference) for g in six.guidance]
    assert ("STORSA", "Pg 4") in [(g.label, g.reference) for g in six.guidance]


def test_self_evaluation_action_plan_and_sign_off():
    """R3: Recommendations / Actions columns and the sign-off block."""
    definition = _self_evaluation()
    assert definition.action_plan.title == "Recommendations / Actions"
    assert [c.label for c in definition.action_plan.columns] == [
        "No", "Action Point", "Timescale / review date", "Responsible person(s)", "Comments"]
    assert [f.id for f in definition.sign_off] == [
        "school_name", "person_completing", "role", "date", "next_review_date", "comments"]


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds is not beside this checkout")
def test_every_sentence_of_seed_004_checkpoints_is_transcribed():
    source = (SEEDS / "004_ca93b1b97370cf11.txt").read_text(encoding="utf-8")
    table = source.split("No\tCheckpoint(s)")[1].split("Recommendations / Actions")[0]
    rows = [line.split("\t") for line in table.split("\n")[1:] if line.count("\t") >= 2]
    cells = [fields[1] for fields in rows]
    text = _flat(" ".join(i.text for i in _self_evaluation().items()))
    segments = []
    for cell in cells:
        for piece in re.split(r"</?p[^>]*>|<li[^>]*>|✚", cell):
            piece = _flat(re.sub(r"<[^>]+>", " ", piece)).strip(" -")
            if len(piece) > 25 and not re.match(r"^\d+\s", piece):
                segments.append(piece)
    assert len(segments) > 40
    missing = [s for s in segments if s[:50] not in text]
    assert missing == []


def test_contract_checklist_has_all_three_stages():
    """R5: planning (complete tick), delivery and review (Yes / No / Not applicable)."""
    path = CHECKLISTS / "attendance-contract-checklist" / "2023.1.yaml"
    definition = load_definition_file(path)
    stages = {s.id: s for s in definition.sections}
    assert list(stages) == ["planning", "delivery", "review"]
    assert len(stages["planning"].items) >= 10
    assert len(stages["delivery"].items) >= 9
    assert len(stages["review"].items) >= 7
    assert [o.label for o in stages["delivery"].items[0].response.choices] == [
        "Yes", "No", "Not applicable"]
    assert stages["planning"].items[0].response.choices[0].label == "Complete"
    text = _flat(" ".join(i.text for i in definition.items()))
    for phrase in ("Read guidance about attendance contracts",
                   "If no parents arrive for the meeting, then the contract cannot be created",
                   "ensure all parents and at least one member of school staff has signed",
                   "Most contracts run for 3 to 12 months",
                   "once per month if it is set up to run for 3 or more months",
                   "parents should be informed in writing with the rationale specified",
                   "the school should contact their link KPAS Officer"):
        assert phrase in text, phrase


def test_meeting_records_have_the_seed_sections():
    """R25 and R27: meeting record sections; review records target met and decision."""
    meeting = load_definition_file(CHECKLISTS / "attendance-meeting" / "2023.1.yaml")
    text = _flat(" ".join([s.title for s in meeting.sections] + [i.text for i in meeting.items()]))
    for phrase in ("Siblings", "Early Help", "view", "barriers", "agree"):
        assert phrase.lower() in text.lower(), phrase
    review = load_definition_file(CHECKLISTS / "attendance-review-meeting" / "2023.1.yaml")
    target = review.item("target-met")
    assert [o.label for o in target.response.options] == ["Yes", "Some improvement", "No"]
    assert review.item("decision").response.type is ResponseType.CHOICE
