"""The host company: the employer, its worksites with their areas and equipment, and
its staff, the mentors among them."""

from __future__ import annotations

from dataclasses import dataclass

from internhost.core.models import Area, Employer, Equipment, EquipmentTask, Staff, Worksite
from internhost.core.sample.generator import Generator


@dataclass
class Site:
    """What the later steps plan with at a worksite."""

    id: int
    name: str
    office_area: int
    production_area: int
    equipment: dict[str, int]  # task key -> equipment id


@dataclass(frozen=True)
class Company:
    sites: dict[str, Site]
    #: The mentors of each site, by the site's name; a site's interns take them in turn.
    mentors: dict[str, list[Staff]]


def add_company(gen: Generator) -> Company:
    sites = _add_worksites(gen)
    return Company(sites, _add_staff(gen, sites))


def _add_worksites(gen: Generator) -> dict[str, Site]:
    """The employer and its worksites, flushed so their areas and equipment have ids."""
    employer = Employer(id=1, **gen.spec["employer"])
    gen.s.add(employer)
    sites: dict[str, Site] = {}
    for ws in gen.spec["worksites"]:
        site = Worksite(
            employer=employer,
            **{k: ws[k] for k in ("name", "address", "city", "state", "postal_code", "time_zone")},
        )
        areas = {a["name"]: Area(name=a["name"], kind=a["kind"]) for a in ws["areas"]}
        site.areas = list(areas.values())
        for eq in ws["equipment"]:
            site.equipment.append(
                Equipment(
                    name=eq["name"],
                    tasks=[EquipmentTask(task_key=k) for k in eq["tasks"]],
                    area_id=None,
                )
            )
        gen.s.add(site)
        gen.s.flush()
        for eq_spec, eq in zip(ws["equipment"], site.equipment, strict=True):
            eq.area_id = areas[eq_spec["area"]].id
        office = next(a for a in site.areas if a.kind == "office")
        production = next(a for a in site.areas if a.kind == "production")
        sites[site.name] = Site(
            site.id,
            site.name,
            office.id,
            production.id,
            {t.task_key: eq.id for eq in site.equipment for t in eq.tasks},
        )
    gen.count("worksites", len(sites))
    return sites


def _add_staff(gen: Generator, sites: dict[str, Site]) -> dict[str, list[Staff]]:
    """The spec's staff, then ``sizes.extra_mentors`` more mentors; the mentors by site."""
    mentors: dict[str, list[Staff]] = {}
    for spec in gen.spec["staff"]:
        site = sites[spec["worksite"]]
        member = Staff(
            **{k: v for k, v in spec.items() if k != "worksite"},
            worksite_id=site.id,
            is_21_or_older=True,
            age_attested_on=gen.date("age_attested_on"),
        )
        gen.s.add(member)
        if member.role == "mentor":
            mentors.setdefault(site.name, []).append(member)
    gen.count("staff", len(gen.spec["staff"]))
    _add_extra_mentors(gen, sites, mentors)
    return mentors


def _add_extra_mentors(
    gen: Generator, sites: dict[str, Site], mentors: dict[str, list[Staff]]
) -> None:
    """``sizes.extra_mentors`` more mentors (none by default: the sample's seeds and
    its three mentors stay as they were)."""
    names = gen.spec["names"]
    domain = gen.spec["staff"][0]["email"].partition("@")[2]
    site_names = list(sites)
    for n in range(gen.sizes.extra_mentors):
        site = sites[site_names[n % len(site_names)]]
        member = Staff(
            first_name=gen.rng.choice(names["first"]),
            last_name=gen.rng.choice(names["last"]),
            role="mentor",
            title="Mentor",
            email=f"mentor{n + 1}@{domain}",
            worksite_id=site.id,
            is_21_or_older=True,
            age_attested_on=gen.date("age_attested_on"),
            clearance_date=gen.date("clearance_date"),
            mentor_training_date=gen.date("mentor_training_date"),
        )
        gen.s.add(member)
        mentors.setdefault(site.name, []).append(member)
    gen.count("staff", gen.sizes.extra_mentors)
