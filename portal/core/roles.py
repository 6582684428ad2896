"""The editors' role: what staff members of the "Editores" group may do in the admin."""

EDITORS_GROUP = "Editores"

# app label → model → actions. Editors keep the content current; they cannot delete
# departments or census editions, and cannot manage users or groups.
EDITOR_PERMISSIONS = {
    "practices": {
        "practice": ("add", "change", "delete", "view"),
        "keyfigure": ("add", "change", "delete", "view"),
        "category": ("add", "change", "view"),
        "institution": ("add", "change", "delete", "view"),  # delete: only unused ones (PROTECT)
    },
    "portal": {"contentblock": ("change", "view")},
    "migration": {
        "departmentfigures": ("add", "change", "view"),
        "department": ("change", "view"),
        "censusedition": ("add", "change", "view"),
        "populationcensus": ("add", "change", "view"),
        "censuspopulation": ("add", "change", "view"),
        "departmentpart": ("add", "change", "delete", "view"),  # Lima's two INEI units, on a census's page
        "recentmigration": ("add", "change", "view"),
    },
}


def exists(apps, app_label: str, model: str) -> bool:
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True


def sync_editors_group(apps, verbosity: int = 0):
    """Create or update the group with exactly EDITOR_PERMISSIONS (idempotent)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=verbosity)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, models in EDITOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
        if exists(apps, app_label, model)  # a model a later migration creates: the group gets it then
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]
    group.permissions.set(permissions)
    return group
