"""Model validation of an imported row without a database query per row.

Django's ``full_clean()`` asks the database for each row: whether each foreign key exists, whether each unique
field is free, and whether each ``CheckConstraint`` holds (``Q.check`` runs a ``SELECT``). For 2,000 rows that
was 8,000 to 10,000 queries, most of an import's time (``scripts/benchmark.py --modes imports``). An import
already knows the answers to the first two — its related rows were read from the database by ``Lookup``, its
keys are unique by construction (one query for the file's stored rows, a key written twice is an error) — and
the check constraints the portal declares are simple comparisons of a row's own fields, which
``check_constraints`` evaluates in Python with the constraint's own message. Anything it cannot evaluate (another
lookup, a function) is left to Django's own ``constraint.validate``; the database enforces every constraint at
the write anyway.
"""

import operator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CheckConstraint, F, Q, UniqueConstraint
from django.db.models.expressions import CombinedExpression, Value

COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}


class NotEvaluable(Exception):
    """A condition this module does not evaluate: Django's ``constraint.validate`` does."""


def _value(instance, expression):
    if isinstance(expression, F):
        return getattr(instance, instance._meta.get_field(expression.name).attname)
    if isinstance(expression, Value):
        return expression.value
    if isinstance(expression, CombinedExpression) and expression.connector in ARITHMETIC:
        left, right = _value(instance, expression.lhs), _value(instance, expression.rhs)
        return None if left is None or right is None else ARITHMETIC[expression.connector](left, right)
    if hasattr(expression, "resolve_expression"):
        raise NotEvaluable(expression)
    return expression


def evaluate(instance, condition) -> bool | None:
    """``condition`` (a Q tree of comparisons between a row's fields and values) for ``instance``: True, False, or
    None when a value is missing (NULL: the database lets the row pass, as Django's own check does)."""
    if isinstance(condition, Q):
        results = [evaluate(instance, child) for child in condition.children]
        if condition.connector == Q.AND:
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        return (None if result is None else not result) if condition.negated else result
    lookup, expected = condition
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    if "__" in kind:
        raise NotEvaluable(lookup)
    actual = getattr(instance, instance._meta.get_field(name).attname)
    if kind == "isnull":
        return (actual is None) == bool(expected)
    if kind == "in":
        return None if actual is None else actual in [_value(instance, item) for item in expected]
    if kind not in COMPARISONS:
        raise NotEvaluable(lookup)
    expected = _value(instance, expected)
    if actual is None or expected is None:
        return None
    return COMPARISONS[kind](actual, expected)


def referenced(condition) -> set[str]:
    """The fields a condition reads (a constraint on a field that already has an error is not checked, as in
    ``full_clean``)."""
    if isinstance(condition, Q):
        return set().union(*(referenced(child) for child in condition.children))
    if isinstance(condition, tuple):
        return {condition[0].split("__")[0]} | referenced(condition[1])
    if isinstance(condition, F):
        return {condition.name}
    if isinstance(condition, CombinedExpression):
        return referenced(condition.lhs) | referenced(condition.rhs)
    return set()


def check_constraints(instance, exclude=(), unique_keys=()) -> dict:
    """The errors of ``instance``'s Meta.constraints as ``full_clean`` reports them ({field or NON_FIELD_ERRORS:
    [messages]}), skipping constraints on ``exclude``d fields and unique constraints on ``unique_keys`` (the
    import's key: unique by construction)."""
    errors = {}
    for constraint in instance._meta.constraints:
        fields = set(getattr(constraint, "fields", ()) or ())
        if isinstance(constraint, CheckConstraint):
            fields = referenced(constraint.condition)
        if fields & set(exclude):
            continue
        if isinstance(constraint, UniqueConstraint) and fields and fields == set(unique_keys):
            continue
        try:
            if isinstance(constraint, CheckConstraint):
                if evaluate(instance, constraint.condition) is False:
                    message = constraint.get_violation_error_message()
                    raise ValidationError(message, code=constraint.violation_error_code)
            else:
                constraint.validate(instance._meta.model, instance, exclude=set(exclude))
        except NotEvaluable:
            try:
                constraint.validate(instance._meta.model, instance, exclude=set(exclude))
            except ValidationError as error:
                errors.setdefault(NON_FIELD_ERRORS, []).extend(error.messages)
        except ValidationError as error:
            errors.setdefault(NON_FIELD_ERRORS, []).extend(error.messages)
    return errors
