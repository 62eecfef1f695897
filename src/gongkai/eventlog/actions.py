"""Event codes of the platform core itself (changes made through the admin site)."""

from gongkai.eventlog.registry import register_actions

ADMIN_CREATE = "admin.create"
ADMIN_UPDATE = "admin.update"
ADMIN_DELETE = "admin.delete"

register_actions(
    {
        ADMIN_CREATE: "管理后台新增",
        ADMIN_UPDATE: "管理后台修改",
        ADMIN_DELETE: "管理后台删除",
    }
)
