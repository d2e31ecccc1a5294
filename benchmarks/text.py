"""Words for the generated dataset: names, school names and realistic evidence and record text.

Everything is drawn from a seeded :class:`random.Random`, so a size always gives the same data.
"""

from __future__ import annotations

import random

FIRST_NAMES = (
    "Zoë", "Oliver", "Amelia", "Muhammad", "Isla", "Jack", "Ava", "Noah", "Freya", "Leo", "Siân",
    "Łukasz", "Aisha", "Harry", "Mia", "Oscar", "Grace", "Kacper", "Chloé", "Tomasz", "Niamh",
    "Yusuf", "Evie", "Dylan", "Maryam", "Alfie", "Ruby", "Jayden", "Darius", "Ellie", "Ibrahim",
    "Poppy", "Mason", "Aoife", "Reuben", "Layla", "Kofi", "Lily", "Aleksander", "Hana",
)
LAST_NAMES = (
    "Adeyemi", "Smith", "Jones", "Ó Briain", "Nowak", "Patel", "Williams", "Brown", "Taylor",
    "Khan", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Okafor", "Wright",
    "Nuñez", "Kowalski", "Ahmed", "Hughes", "Green", "Hall", "Clarke", "Hussain", "Mensah",
    "Murphy", "Lewis", "Begum", "Walker", "Robinson", "Thompson", "Ali", "Popescu", "Shah",
)
PLACES = (
    "Ashcombe", "Oakfield", "Brookside", "Elmhurst", "Fairview", "Greenacre", "Hillcrest",
    "Kingsmead", "Larkrise", "Meadowbank", "Northgate", "Orchard", "Parkside", "Queensway",
    "Riverside", "Southfields", "Thornbury", "Upton", "Westbrook", "Willowdene",
)
KINDS = ("Primary School", "Academy", "Church of England Primary School", "High School",
         "Community College", "Infant School", "Junior School")
YEAR_GROUPS = tuple(f"Year {n}" for n in range(1, 12))

EVIDENCE = (
    "Attendance is reviewed weekly by the senior attendance champion with the attendance officer.",
    "The attendance policy was updated this term and shared with parents and carers in the newsletter.",
    "Pupils whose attendance falls below 90% are discussed at the fortnightly pastoral meeting.",
    "Each pupil who is severely absent has a named lead professional and a support plan.",
    "Form tutors phone home on the first day of any unexplained absence and record the call.",
    "Register codes were checked in a spot audit; two errors were found and corrected at once.",
    "Governors receive a termly report comparing attendance with last year and with national figures.",
    "The link officer from the local authority joined the targeting support meeting in October.",
    "Families were offered meetings in person, by telephone or online, at times that suit them.",
    "Early Help was asked to support three families where the barriers were outside school.",
    "We track the attendance of pupils with SEND and pupils eligible for free school meals separately.",
    "Rewards now recognise improvement as well as full attendance, in a support-first approach.",
    "Part-time timetables are logged, reviewed every six weeks and shared with the local authority.",
    "Staff training on anxiety-based school avoidance took place on the September training day.",
    "Late marks fell after register times were published on the gates and on the website.",
    "The school nurse and the educational psychologist contribute to plans where health is a factor.",
    "We compare each pupil's attendance with their own starting point, not only with the target.",
    "Attendance contracts were offered to five families; four agreed and signed at the meeting.",
    "Daily attendance data is shared with the Department for Education through the MIS.",
    "Pupil voice shows that most pupils know whom to speak to when something stops them coming in.",
    "The admission register is checked before any deletion and the local authority is told in time.",
    "Next we will agree with the governing board how often the attendance link governor visits.",
    "Impact will be shown by fortnightly figures for the target group against the start of the plan.",
    "We will ask parents in the spring survey whether they know whom to contact about absence.",
)
RECORD = {
    "childs-view": ("Says mornings are hard and that friendship problems in class make it worse. "
                    "Would like a quiet place to start the day."),
    "barriers": ("Anxiety about school, a younger sibling's health needs and a long journey by two "
                 "buses; mornings are rushed."),
    "what-has-gone-well": "Arrives on time on days with the breakfast club; likes art and PE.",
    "action-plan-aim": "No further unauthorised absence; attendance above 90% by the review date.",
    "young-person-agrees-to": "Come to the breakfast club and check in with the mentor each day.",
    "parents-agree-to": "Phone the school by 8:30 on any day of absence and attend the review.",
    "school-agrees-to": "Daily check-in with a named mentor and a phased return to full lessons.",
    "other-agencies-agree-to": "Early Help to visit at home fortnightly and join the review meeting.",
    "what-has-worked": "The morning check-in and the breakfast club; fewer late marks.",
    "what-has-not-worked": "Mondays are still difficult; two unauthorised absences after weekends.",
}
AGREEMENTS = {
    "parent": ("Phone the school by 8:30 on any day of absence.",
               "Make sure the pupil is at the gate by 8:40 each morning.",
               "Attend every review meeting, or rearrange with notice."),
    "pupil": ("Go to the breakfast club each morning.",
              "Tell the mentor when something worries me."),
    "school": ("A daily check-in with a named mentor.",
               "A phased return to full lessons over three weeks.",
               "Send home a weekly attendance summary."),
    "agency": ("Early Help to visit fortnightly.",
               "The school nurse to review the health plan."),
}
CONCERNS = (
    "Persistent absence since the start of term, mostly Mondays and Fridays.",
    "Attendance has fallen below 50%: severe absence, anxiety reported by the family.",
    "Frequent late arrival after the register closes and unexplained absences.",
    "Absence linked to caring for a younger sibling; the family has asked for help.",
)
CONTACT_OUTCOMES = (
    "Parent explained the absence was illness; asked for a doctor's note.",
    "No answer; voicemail left asking the parent to call back.",
    "Discussed the breakfast club; parent agreed to try it next week.",
    "Social worker told of today's unauthorised absence (R23).",
    "Home visit: pupil at home, unwell; agreed a return date.",
)


def words(rng: random.Random, low: int, high: int) -> str:
    """Evidence text of roughly ``low`` to ``high`` words, in whole sentences."""
    target, text, count = rng.randint(low, high), [], 0
    while count < target:
        sentence = rng.choice(EVIDENCE)
        text.append(sentence)
        count += len(sentence.split())
    return " ".join(text)


def evidence(rng: random.Random, low: int = 100, high: int = 300) -> dict[str, str]:
    """The three evidence prompts of a checkpoint answer, ``low``–``high`` words in all."""
    total = rng.randint(low, high)
    return {"where_now": words(rng, total // 2, total // 2),
            "next_steps": words(rng, total * 3 // 10, total * 3 // 10),
            "impact": words(rng, total // 5, total // 5)}


def person(rng: random.Random) -> tuple[str, str]:
    """A first name and a surname."""
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def school_name(n: int) -> str:
    """A unique, plausible school name for school number ``n``."""
    place = PLACES[n % len(PLACES)]
    kind = KINDS[(n // len(PLACES)) % len(KINDS)]
    suffix = f" ({n // (len(PLACES) * len(KINDS)) + 1})" if n >= len(PLACES) * len(KINDS) else ""
    return f"{place} {kind}{suffix}"


def letter_body(title: str, salutation: str, pupil: str, school: str) -> str:
    """A letter body in markdown, about the length of the real templates."""
    return (f"Dear {salutation},\n\n**{title}: {pupil}**\n\n"
            f"We are writing about {pupil}'s attendance at {school}. We want to work with you to "
            "understand what is making it hard for your child to come to school and to agree the "
            "support that will help. Attendance matters because every day in school counts for "
            "learning, friendships and wellbeing.\n\n"
            "We would like to meet you to talk about this together. You are welcome to bring someone "
            "with you. If the time does not suit you, please phone the school office and we will "
            "arrange another time, or we can meet by telephone or online.\n\n"
            "At the meeting we will look at your child's attendance since the start of the process, "
            "what has helped so far, and what each of us can do next: the school, you as parent or "
            "carer, your child, and any other service working with your family.\n\n"
            "Yours sincerely,\n\nAttendance lead")
