"""The plan editor's one save: title, products (quantities, notes, one added or removed) and guides together.

Every button on the editor submits the whole page, so nothing the practitioner typed is thrown
away by pressing a different button. Everything is checked first and written in one commit, or
nothing is written and every problem is named.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from shop.careplans.models import MAX_NOTE_LENGTH, CarePlan, CarePlanItem
from shop.careplans.services import MAX_ITEMS, PlanError, _clean_title, touch
from shop.catalog.models import Variant
from shop.catalog.volume import case_problem
from shop.extensions import db
from shop.guides.models import Guide


class PlanProblems(PlanError):
    """Every problem with what was typed; nothing was saved."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class Addition:
    variant_id: int
    quantity: str  # as typed
    note: str = ""


@dataclass
class PlanEdit:
    """What the editor's form sent, unparsed: the service judges it."""
    title: str
    is_template: bool
    items: dict[int, tuple[str, str]] = field(default_factory=dict)  # item id -> (quantity, note) as typed
    guide_ids: list[int] = field(default_factory=list)
    remove_item_id: int | None = None
    add: Addition | None = None


@dataclass
class Saved:
    added: str | None = None    # the product added, by name, for the message
    removed: str | None = None


def _label(variant: Variant) -> str:
    return f"{variant.product.name} ({variant.size_label})"


def _quantity(raw: str, max_per_line: int) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= max_per_line else None


def save_plan(plan: CarePlan, edit: PlanEdit, *, max_per_line: int) -> Saved:
    problems: list[str] = []
    title = None
    try:
        title = _clean_title(edit.title)
    except PlanError as error:
        problems.append(str(error))

    changes = []
    for item in plan.items:
        if item.id not in edit.items or item.id == edit.remove_item_id:
            continue  # a product being removed is not checked: what was typed for it no longer matters
        raw_quantity, note = edit.items[item.id]
        quantity, note = _quantity(raw_quantity, max_per_line), (note or "").strip()
        if quantity is None:
            problems.append(f"{_label(item.variant)}: choose a quantity from 1 to {max_per_line}.")
        elif case_problem(item.variant, quantity):
            problems.append(case_problem(item.variant, quantity))
        if len(note) > MAX_NOTE_LENGTH:
            problems.append(f"{_label(item.variant)}: keep the note under {MAX_NOTE_LENGTH} characters.")
        changes.append((item, quantity, note))

    wanted = set(edit.guide_ids)
    guides = db.session.scalars(select(Guide).where(Guide.id.in_(wanted), Guide.published.is_(True))).all() if wanted else []
    if len(guides) != len(wanted):
        problems.append("One of those guides is not available.")

    removed = next((i for i in plan.items if i.id == edit.remove_item_id), None)
    if edit.remove_item_id is not None and removed is None:
        problems.append("That product is not in this plan.")

    added, add_quantity, add_note = None, None, ""
    if edit.add is not None:
        added = db.session.get(Variant, edit.add.variant_id)
        add_quantity, add_note = _quantity(edit.add.quantity, max_per_line), (edit.add.note or "").strip()
        if added is None or not added.product.published:
            problems.append("That product is not available.")
        else:
            if add_quantity is None:
                problems.append(f"{_label(added)}: choose a quantity from 1 to {max_per_line}.")
            elif case_problem(added, add_quantity):
                problems.append(case_problem(added, add_quantity))
            if len(add_note) > MAX_NOTE_LENGTH:
                problems.append(f"{_label(added)}: keep the note under {MAX_NOTE_LENGTH} characters.")
            if not any(i.variant_id == added.id for i in plan.items) and len(plan.items) - (removed is not None) >= MAX_ITEMS:
                problems.append(f"A plan can hold up to {MAX_ITEMS} products.")
    if problems:
        raise PlanProblems(problems)

    plan.title, plan.is_template = title, bool(edit.is_template)
    for item, quantity, note in changes:
        item.quantity, item.note = quantity, note
    plan.guides = list(guides)
    saved = Saved()
    if removed is not None:
        plan.items.remove(removed)
        saved.removed = _label(removed.variant)
    if added is not None:
        existing = next((i for i in plan.items if i.variant_id == added.id), None)
        if existing is not None:  # the same size again: the new quantity, and the new note if one was typed
            existing.quantity, existing.note = add_quantity, add_note or existing.note
        else:
            plan.items.append(CarePlanItem(variant_id=added.id, quantity=add_quantity, note=add_note,
                                           position=max((i.position for i in plan.items), default=-1) + 1))
        saved.added = _label(added)
    touch(plan)
    return saved
