"""The desk's fixed words, as plain values: the statuses a request is open in, the channels a call
comes by, the roles, the estate of a one-estate site. models.py declares the tables with them;
what must not wait for the ORM to be imported (validation, the procedures' loader, the desk's
first frame) reads them here."""

from __future__ import annotations

OPEN_STATUSES = ("open", "replied", "resolved")
CHANNELS = ("phone", "walk-in", "intercom", "written")
ROLES = ("assistant", "cs_supervisor", "manager", "security_lead", "guard", "dept_staff", "technician")
DEFAULT_ESTATE = (
    "main"  # every request and staff member belongs to an estate; a one-estate site has only this
)
# How a receipt was paid: cash, WeChat Pay, Alipay, or billed to the unit's management fee.
PAY_METHODS = ("cash", "wechat", "alipay", "fee_bill")
# A tool's condition in the register (完好, 损坏, 遗失).
TOOL_CONDITIONS = ("ok", "damaged", "lost")
