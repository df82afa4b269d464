"""Building care plans (approved practitioners only) and opening them (anyone with the link).

A plan stores products, quantities, notes and guides. It never stores who the patient is: the
practitioner learns only how often the link was opened and how many orders came from it.
"""
import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from shop.accounts.models import User
from shop.cart.services import CartError, PlanDiscount
from shop.careplans.models import CarePlan, CarePlanItem, new_plan_token
from shop.catalog.models import Product, Variant
from shop.catalog.volume import case_problem
from shop.clinics.models import ClinicMember
from shop.clock import utcnow
from shop.extensions import db
from shop.orders.models import Order
from shop.orders.status import PAYMENT_MADE

MAX_ITEMS = 30


class PlanError(ValueError):
    """A change to a plan that cannot be made; the message says why."""


class PlanNotFound(LookupError):
    pass


def can_make_plans(user) -> bool:
    return bool(user.is_authenticated and user.is_trade)


# --- the practitioner's side ----------------------------------------------------------------

def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise PlanError("Give the plan a title, like “Lower back, weeks 1–4”.")
    if len(title) > 120:
        raise PlanError("Keep the title under 120 characters.")
    return title


def _written_by_team(user: User):
    """A clinic's plans are its team's to see, use and edit (each still names its author); anyone
    else's are their own. Read from the membership loaded on this request: a member who left sees none."""
    membership = user.clinic_membership
    if membership is None:
        return CarePlan.practitioner_id == user.id
    team = select(ClinicMember.user_id).where(ClinicMember.clinic_id == membership.clinic_id)
    return CarePlan.practitioner_id.in_(team)


def plans_of(user: User) -> list[tuple[CarePlan, int]]:
    """The practitioner's (or their clinic's) plans, newest first, each with how many orders came from it."""
    orders = (
        select(Order.care_plan_id, func.count().label("n"))
        .where(Order.status.in_(PAYMENT_MADE), Order.care_plan_id.is_not(None))
        .group_by(Order.care_plan_id)
        .subquery()
    )
    rows = db.session.execute(
        select(CarePlan, func.coalesce(orders.c.n, 0))
        .outerjoin(orders, orders.c.care_plan_id == CarePlan.id)
        .where(_written_by_team(user))
        .options(selectinload(CarePlan.items), joinedload(CarePlan.practitioner))
        .order_by(CarePlan.is_template.desc(), CarePlan.updated_at.desc(), CarePlan.id.desc())
    ).all()
    return [(plan, count) for plan, count in rows]


def orders_from(plan: CarePlan) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Order).where(Order.care_plan_id == plan.id, Order.status.in_(PAYMENT_MADE))
    )


def plan_of(user: User, plan_id: int) -> CarePlan | None:
    """The plan if this practitioner (or their clinic) has it; None for anyone else's (the view answers 404)."""
    return db.session.scalar(
        select(CarePlan).where(CarePlan.id == plan_id, _written_by_team(user))
        .options(selectinload(CarePlan.items).joinedload(CarePlanItem.variant).joinedload(Variant.product),
                 selectinload(CarePlan.guides))
    )


def create_plan(user: User, title: str, is_template: bool = False) -> CarePlan:
    if not can_make_plans(user):
        raise PlanError("Only approved practitioners can make care plans.")
    plan = CarePlan(practitioner_id=user.id, title=_clean_title(title), is_template=bool(is_template))
    db.session.add(plan)
    db.session.commit()
    return plan


def touch(plan: CarePlan) -> None:
    """Commit a change to the plan, newest first in the practitioner's list."""
    plan.updated_at = utcnow()
    db.session.commit()


COPY_SUFFIX = re.compile(r" \(copy(?: (\d+))?\)$")


def copy_title(title: str, taken: set[str]) -> str:
    """“Neck (copy)”, then “Neck (copy 2)”…: the copy is never mistaken for the plan it came from."""
    base = COPY_SUFFIX.sub("", title)
    n = 1
    while True:
        suffix = " (copy)" if n == 1 else f" (copy {n})"
        candidate = base[:120 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def copy_plan(plan: CarePlan, owner: User) -> CarePlan:
    """A new plan with the same products, notes and guides, and its own link: the next patient's."""
    taken = set(db.session.scalars(select(CarePlan.title).where(CarePlan.practitioner_id == owner.id)))
    copy = CarePlan(practitioner_id=owner.id, title=copy_title(plan.title, taken), is_template=False)
    copy.items = [CarePlanItem(variant_id=i.variant_id, quantity=i.quantity, note=i.note, position=n)
                  for n, i in enumerate(plan.items)]
    copy.guides = list(plan.guides)
    db.session.add(copy)
    db.session.commit()
    return copy


def revoke(plan: CarePlan) -> None:
    if plan.revoked_at is None:
        plan.revoked_at = utcnow()
        touch(plan)


def restore_link(plan: CarePlan) -> None:
    """Undo a revoke: the same link, so printed QR codes work again."""
    if plan.revoked_at is not None:
        plan.revoked_at = None
        touch(plan)


def new_link(plan: CarePlan) -> None:
    """A fresh link (the old one stops working for good), e.g. after revoking one shared by mistake."""
    plan.token = new_plan_token()
    plan.revoked_at = None
    touch(plan)


# --- the patient's side ---------------------------------------------------------------------

def open_plan(token: str) -> CarePlan:
    """The live plan behind a link; PlanNotFound for unknown and revoked links alike."""
    plan = None
    if token and len(token) <= 64:
        plan = db.session.scalar(
            select(CarePlan).where(CarePlan.token == token, CarePlan.revoked_at.is_(None))
            .options(selectinload(CarePlan.items).joinedload(CarePlanItem.variant).joinedload(Variant.product)
                     .selectinload(Product.flags),
                     selectinload(CarePlan.guides), joinedload(CarePlan.practitioner))
        )
    if plan is None:
        raise PlanNotFound(token)
    return plan


def count_opening(plan: CarePlan) -> None:
    # In the database, so two patients opening at once are both counted.
    db.session.execute(
        update(CarePlan).where(CarePlan.id == plan.id).values(opened_count=CarePlan.opened_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def needs_acknowledgement(plan: CarePlan) -> list[CarePlanItem]:
    """Items whose allergens or cautions the patient must say they have read before buying."""
    return [i for i in plan.items if i.variant.product.allergens or i.variant.product.cautions.strip()]


@dataclass
class Chosen:
    item: CarePlanItem
    quantity: int


def choose_items(plan: CarePlan, form: dict, *, max_per_line: int) -> list[Chosen]:
    """What the patient ticked, with the quantities they typed; every problem named."""
    chosen, problems = [], []
    for item in plan.items:
        if form.get(f"include-{item.id}") != "on":
            continue
        raw = (form.get(f"qty-{item.id}") or "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= max_per_line:
            problems.append(f"{item.variant.product.name}: choose a quantity from 1 to {max_per_line}.")
            continue
        if case_problem(item.variant, int(raw)):
            problems.append(case_problem(item.variant, int(raw)))
            continue
        chosen.append(Chosen(item, int(raw)))
    if problems:
        raise CartError(" ".join(problems))
    if not chosen:
        raise CartError("Tick at least one product to add to your cart.")
    return chosen


def remembered_plan(plan_id: int) -> dict | None:
    """What the session keeps of the plan a cart came from (see patient_add), if its link still works."""
    plan = db.session.get(CarePlan, plan_id)
    return {"plan_id": plan.id, "token": plan.token} if plan is not None and plan.is_live else None


def plan_discount_for(remembered) -> PlanDiscount | None:
    """The plan this browser shopped from (kept in the session), with the clinic's discount if any."""
    if not isinstance(remembered, dict):
        return None
    plan_id, token = remembered.get("plan_id"), remembered.get("token")
    if not isinstance(plan_id, int) or not isinstance(token, str):
        return None
    plan = db.session.scalar(
        select(CarePlan).where(CarePlan.id == plan_id, CarePlan.token == token, CarePlan.revoked_at.is_(None))
        .options(selectinload(CarePlan.items), joinedload(CarePlan.practitioner), selectinload(CarePlan.guides))
    )
    if plan is None:
        return None
    account = plan.practitioner.trade_account
    percent = account.patient_discount_percent if account is not None and account.status == "approved" else 0
    clinic = account.clinic_name if account is not None else ""
    return PlanDiscount(plan_id=plan.id, percent=percent, variant_ids=frozenset(i.variant_id for i in plan.items),
                        label=f"{percent}% patient discount from {clinic or 'your practitioner'}",
                        title=plan.title, practitioner=plan.practitioner.name, clinic=clinic,
                        notes={i.variant_id: i.note for i in plan.items if i.note},
                        guides=tuple(g for g in plan.guides if g.published))

