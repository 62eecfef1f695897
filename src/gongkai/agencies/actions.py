"""Event codes written by the agency services."""

from gongkai.eventlog.registry import register_actions

REGION_CREATE = "agencies.region_create"
AGENCY_CREATE = "agencies.agency_create"
AGENCY_UPDATE = "agencies.agency_update"
SECTION_CREATE = "agencies.section_create"
USER_CREATE = "agencies.user_create"
MEMBERSHIP_GRANT = "agencies.membership_grant"
MEMBERSHIP_REVOKE = "agencies.membership_revoke"
SUPERVISION_GRANT = "agencies.supervision_grant"
SUPERVISION_REVOKE = "agencies.supervision_revoke"
AUTH_LOGIN = "auth.login"
AUTH_LOGOUT = "auth.logout"
AUTH_LOGIN_FAILED = "auth.login_failed"
AUTH_LOCKOUT = "auth.lockout"

register_actions(
    {
        REGION_CREATE: "新增行政区域",
        AGENCY_CREATE: "新增机关",
        AGENCY_UPDATE: "修改机关信息",
        SECTION_CREATE: "新增科室",
        USER_CREATE: "新增用户",
        MEMBERSHIP_GRANT: "授予岗位角色",
        MEMBERSHIP_REVOKE: "撤销岗位角色",
        SUPERVISION_GRANT: "授予监督权限",
        SUPERVISION_REVOKE: "撤销监督权限",
        AUTH_LOGIN: "登录",
        AUTH_LOGOUT: "退出登录",
        AUTH_LOGIN_FAILED: "登录失败",
        AUTH_LOCKOUT: "账户因多次登录失败被锁定",
    }
)
