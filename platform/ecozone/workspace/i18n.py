"""The workspace's own words (the portal's ``Translator`` picks them by language)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "workspace": ("工作台", "Workspace"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "sign_in_with_provider": ("使用统一身份认证登录", "Sign in with your identity provider"),
    "development_picker": ("开发环境：选择演示用户", "Development: pick a demo user"),
    "development_only": ("仅开发环境可用；生产环境不提供。", "Development only; production has none."),
    "pick": ("以此身份登录", "Sign in as this user"),
    "csrf_failed": ("表单已过期或来源不明，请刷新页面后重试。",
                    "The form expired or did not come from this site; reload the page and try again."),
    "signed_in_as": ("当前用户：{name}", "Signed in as {name}"),
    "acting_zone": ("所操作的试验区", "Acting zone"),
    "switch_zone": ("切换", "Switch"),
    "roles_here": ("在此区的角色", "Roles here"),
    "no_roles": ("无", "none"),
    "unread": ("未读通知 {count} 条", "{count} unread notifications"),
    "session_expired": ("登录已过期，请重新登录。", "Your session has ended; please sign in again."),
    "oidc_unknown_person": ("此身份尚未关联平台账户，请联系所在试验区秘书。",
                            "This identity is not linked to an account here; ask your zone's secretary."),
    "oidc_off": ("未配置统一身份认证。", "No identity provider is configured."),
    "role.director": ("主任", "director"),
    "role.secretary": ("秘书", "secretary"),
    "role.expert": ("专家", "expert"),
    "role.member": ("成员", "member"),
    "zone_refused": ("您在该试验区没有角色，不能在此操作。", "You hold no role in that zone and cannot act there."),
}
