"""Deterministic synthetic goal follow-ups and agenda items, in the seeds' format, for the scale benchmark.

Each document is one municipality's follow-up for one budget year: service areas, focus
areas with numbered goals, a pathway plan, and "Ad N" assessments that name partners,
internal units and projects, state a verdict and report measurements. Each follow-up comes
with the committee's agenda item that approves it: a summary of the goals and verdicts, the
recommendation and the decision. Names, numbers and verdicts vary with a seeded random
generator, so the same arguments give the same files.

Run: .venv/bin/python benchmarks/synthetic.py OUT_DIR --municipalities 3 --years 2
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MUNICIPALITIES = [
    "Vejle", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Randers", "Kolding", "Horsens", "Silkeborg",
    "Næstved", "Viborg", "Holstebro", "Svendborg", "Slagelse", "Roskilde", "Hjørring", "Frederikshavn",
    "Skive", "Thisted", "Varde", "Haderslev", "Sønderborg", "Aabenraa", "Fredericia", "Middelfart",
    "Ringkøbing-Skjern", "Lemvig", "Struer", "Ikast-Brande", "Skanderborg", "Favrskov", "Syddjurs",
    "Norddjurs", "Hedensted", "Billund", "Vordingborg", "Guldborgsund", "Lolland", "Kalundborg", "Holbæk",
]  # fmt: skip
SERVICE_AREAS = [
    "17 Forsørgelse og Beskæftigelse", "12 Sundhed og Forebyggelse", "14 Ældre og Handicap",
    "15 Børn og Unge", "16 Socialområdet", "18 Kultur og Fritid", "19 Integration",
]  # fmt: skip
FOCUS_AREAS = [
    "Unge under 25 år skal være i uddannelse eller arbejde",
    "Borgere på kanten af arbejdsstyrken skal ind på arbejdsmarkedet",
    "Udsatte borgere skal opleve en mere helhedsorienteret indsats",
    "Virksomhederne skal have adgang til kvalificeret arbejdskraft",
    "Flere sygemeldte skal fastholdes i job",
    "Flere flygtninge og indvandrere skal i selvforsørgelse",
    "Ældre borgere skal kunne klare sig selv længst muligt",
    "Børn og unge skal trives og lære mere",
    "Borgere med handicap skal have et aktivt liv",
    "Færre borgere skal have et skadeligt forbrug af alkohol",
    "Flere borgere skal deltage i foreningslivet",
    "Flere ledige skal opkvalificeres til brancher med mangel på arbejdskraft",
]
GROUPS = ["unge ledige", "borgere på kanten af arbejdsmarkedet", "sygemeldte", "flygtninge", "ældre borgere",
          "borgere i fleksjob", "udsatte familier", "borgere med handicap", "langtidsledige", "nyuddannede"]  # fmt: skip
GOALS = [
    "{m} Kommune skal i {y} have færre {g} på offentlig forsørgelse end gennemsnittet i regionen.",
    "Alle {g}, der er parate til job eller uddannelse, skal i job eller uddannelse.",
    "Der iværksættes initiativer der fremmer samarbejdet mellem kommunale afdelinger, frivillige og sociale organisationer om {g}.",
    "Jobcentret vil i samspil med lokale virksomheder udvikle nye modeller for at få flere {g} i arbejde.",
    "Der skal gøres en særlig indsats for at opkvalificere {g} til brancher med mangel på arbejdskraft.",
    "Indsatsen for {g} skal være sammenhængende på tværs af forvaltningerne.",
    "Flere {g} skal have en fast tilknytning til arbejdsmarkedet.",
    "Fraværet blandt {g} skal nedbringes gennem en tidlig og forebyggende indsats.",
]
PARTNER_KINDS = [
    "Erhvervsskole",
    "Produktionsskole",
    "Sprogcenter",
    "Boligforening",
    "Højskole",
    "Handelsskole",
]
NGOS = ["Blå Kors", "Kirkens Korshær", "Red Barnet", "Dansk Flygtningehjælp", "Røde Kors", "Mødrehjælpen",
        "Headspace", "Settlementet", "KFUM's Sociale Arbejde", "Frelsens Hær"]  # fmt: skip
PROJECT_WORDS = ["Småjob", "Brobygning", "Jobbro", "Fremtidsspor", "Vejen Frem", "Kompetenceløft", "Nye Veje",
                 "Jobmakker", "Ungespor", "Trivselsløft", "Sundhedsspor", "Fællesskab", "Læringsløft"]  # fmt: skip
UNITS = [
    "Jobcentret",
    "Ungevejledningen",
    "Sygefravær & Jobfastholdelse",
    "Drift & Service",
    "Familieafdelingen",
]
VERDICTS = [("opfyldt", 0.6), ("delvist opfyldt", 0.25), ("ikke opfyldt", 0.15)]
MEASURES = ["borgere i fleksjob", "unge i uddannelse", "gennemførte forløb", "virksomhedspraktikker",
            "borgere i løntilskud", "afsluttede sager", "deltagere på kurser"]  # fmt: skip


COMMITTEES = ["Beskæftigelsesudvalget", "Social- og Sundhedsudvalget", "Børne- og Ungeudvalget",
              "Kultur- og Fritidsudvalget", "Ældreudvalget", "Arbejdsmarkedsudvalget"]  # fmt: skip
OFFICERS = ["Karin Nielsen", "Jens Hansen", "Mette Sørensen", "Lars Pedersen", "Anne Kristensen",
            "Søren Jensen", "Hanne Larsen", "Peter Rasmussen"]  # fmt: skip
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni"]


@dataclass
class Goal:
    text: str
    verdict: str
    assessment: str


@dataclass
class FocusArea:
    title: str
    service_area: str
    goals: list[Goal]


def _verdict(rng: random.Random) -> str:
    roll = rng.random()
    for verdict, share in VERDICTS:
        if roll < share:
            return verdict
        roll -= share
    return VERDICTS[-1][0]


def _partner(rng: random.Random, town: str) -> str:
    return rng.choice(NGOS) if rng.random() < 0.4 else f"{town} {rng.choice(PARTNER_KINDS)}"


def _assessment(rng: random.Random, number: int, municipality: str, year: int, verdict: str) -> str:
    town = rng.choice(MUNICIPALITIES)
    partner, project, unit = (
        _partner(rng, town),
        f"Projekt {rng.choice(PROJECT_WORDS)}",
        rng.choice(UNITS),
    )
    measure = rng.choice(MEASURES)
    before = rng.randint(40, 2000)
    after = max(1, before + rng.randint(-before // 5, before // 4))
    share = f"{rng.randint(2, 40)},{rng.randint(0, 9)}"
    sentences = [
        f"I {project} er der i tæt samarbejde med {partner} udviklet og afprøvet nye modeller for {rng.choice(GROUPS)}.",
        f"{unit} har sammen med {_partner(rng, town)} etableret faste samarbejdsmøder.",
        f"Fra {year - 1} til {year} er der sket en ændring i antallet af {measure} fra {before} til {after}.",
        f"I {year} havde {municipality} Kommune {share}% {rng.choice(GROUPS)} på offentlig forsørgelse.",
    ]
    rng.shuffle(sentences)
    return f"Ad {number}: " + " ".join(sentences[: rng.randint(2, 4)]) + f" Målet er {verdict}."


def draft(municipality: str, year: int, seed: int, focus_areas: int = 8) -> list[FocusArea]:
    """What one follow-up says: its focus areas, goals, verdicts and assessments."""
    rng = random.Random(f"{seed}-{municipality}-{year}")
    areas = []
    for title in rng.sample(FOCUS_AREAS, min(focus_areas, len(FOCUS_AREAS))):
        service_area = rng.choice(SERVICE_AREAS)
        goals = []
        for number, template in enumerate(rng.sample(GOALS, rng.randint(2, 5)), start=1):
            text = template.format(m=municipality, y=year, g=rng.choice(GROUPS))
            verdict = _verdict(rng)
            goals.append(Goal(text, verdict, _assessment(rng, number, municipality, year, verdict)))
        areas.append(FocusArea(title, service_area, goals))
    return areas


def followup(municipality: str, year: int, seed: int, focus_areas: int = 8) -> str:
    """One follow-up document as text."""
    blocks = [f"\n\nMålopfølgning for budget {year}\n"]
    for area in draft(municipality, year, seed, focus_areas):
        goal_text = " ".join(f"<p>{g.text}</p>" for g in area.goals)
        status = " ".join(f"<p>{g.assessment}</p>" for g in area.goals)
        blocks.append(
            f"Serviceområde\t{area.service_area}\n"
            f"Fokusområde\t{area.title}.\n"
            f"Mål\t{goal_text}\n"
            f"Veje til målet\tEr beskrevet i Beskæftigelsesplanen {year}\n"
            f"Status på opfyldelse af mål\t{status}\n"
        )
    return "\n".join(blocks)


def agenda(municipality: str, year: int, seed: int, focus_areas: int = 8) -> str:
    """The committee's agenda item that approves the follow-up: a summary that restates the
    goals with their verdicts, now and then leaving out a focus area or stating another verdict
    (as real summaries do), then the recommendation and the decision."""
    rng = random.Random(f"{seed}-{municipality}-{year}-agenda")
    committee = rng.choice(COMMITTEES)
    number = rng.randint(1, 30)
    lines = [
        f"Udvalg: {committee}",
        f"Mødedato: {rng.randint(1, 28)}. {rng.choice(MONTHS)} {year + 1}",
        f"Mødested: {rng.choice(['Byrådssalen', 'Mødelokale 1', 'Holdes på Teams'])}",
        "",
        "Dagsordenpunkter",
        "",
        f"{number}. Opfølgning fokusområder og årsmål {year}",
        "",
        f"Sagsnr.: {rng.randint(10, 99)}.00.00-A00-{rng.randint(1, 20)}-{(year + 1) % 100} Sagsbehandler: {rng.choice(OFFICERS)}",
        "",
        "Sagsresume",
        "",
        f"Med dette punkt præsenteres udvalget for helårsopfølgningen på fokusområder og årsmål for {year} "
        f"i {municipality} Kommune med henblik på udvalgets godkendelse af opfølgningen.",
        "",
        "Sagsfremstilling",
        "",
        f"I det følgende gives et resumé af målopfølgningen for {year}:",
        "",
    ]
    for area in draft(municipality, year, seed, focus_areas):
        if rng.random() < 0.1:
            continue  # a focus area the summary leaves out
        lines += [area.title, ""]
        for goal in area.goals:
            said = goal.verdict if rng.random() > 0.05 else _verdict(rng)
            lines += [f" • {goal.text}", f"  Målet er {said}."]
        lines.append("")
    decision = "Godkendt." if rng.random() < 0.8 else "Taget til efterretning."
    lines += ["Indstilling", "", "Direktøren indstiller,", "",
              f"at {committee} godkender opfølgningen på fokusområder og årsmål for {year}.", "",
              "Beslutning", "", decision, "", "Bilag", "", f" • Opfølgning fokusområder og årsmål {year}"]  # fmt: skip
    return "\n".join(lines) + "\n"


def documents(
    municipalities: int, years: int, seed: int = 2020, agendas: bool = True
) -> Iterator[tuple[str, str]]:
    """(file name, text) for each municipality × year, municipality by municipality: the
    follow-up, then (with ``agendas``) the agenda item that approves it."""
    for m in range(municipalities):
        name = MUNICIPALITIES[m % len(MUNICIPALITIES)] + (
            "" if m < len(MUNICIPALITIES) else f" {m // len(MUNICIPALITIES) + 1}"
        )
        slug = (
            name.lower().replace(" ", "-").replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
        )
        for y in range(years):
            year = 2018 + y
            yield f"maalopfoelgning-{slug}-{year}.txt", followup(name, year, seed)
            if agendas:
                yield f"dagsorden-{slug}-{year}.txt", agenda(name, year, seed)


def write(out: Path, municipalities: int, years: int, seed: int = 2020) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in documents(municipalities, years, seed):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--municipalities", type=int, default=3)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    paths = write(args.out, args.municipalities, args.years, args.seed)
    print(f"wrote {len(paths)} documents to {args.out}")


if __name__ == "__main__":
    main()
