"""The server's own functions on a PostgreSQL site, as this release installs them (and as `liyuan
check` expects to find them, to the character).

Every function pins `search_path = pg_catalog, public, pg_temp` (pg_temp last: a caller's
temporary objects never shadow anything) and names every table and function with its schema;
none is executable by PUBLIC; none builds SQL from a caller's text except the role names of the
staff path, which must be on the staff list, match the login pattern and are quoted with %I.

The SECURITY DEFINER ones run as `liyuan_owner` (NOLOGIN, NOCREATEROLE) — numbering requests and receipts,
the audit, the ladder's rungs, an event's id — except `liyuan_staff_sync`, which runs as
`liyuan_roles` (NOLOGIN, CREATEROLE, NOINHERIT: owns nothing but this function), the one narrow
path that creates, moves and stops login roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from liyuan_tui.domain.event_rights import kinds_by_role

from .postgres_paths_sql import EVENT_GAPS as _EVENT_GAPS
from .postgres_paths_sql import LADDER_RUNG as _LADDER_RUNG
from .postgres_paths_sql import STAFF_SYNC as _STAFF_SYNC

SEARCH_PATH = "pg_catalog, public, pg_temp"
OWNER = "liyuan_owner"
ROLES_ADMIN = "liyuan_roles"
MEMBER = "liyuan_member"
PAGER = "liyuan_pager"  # the pager's sender's group: not a desk group (postgres_matrix.PAGER)


@dataclass(frozen=True)
class Function:
    name: str
    args: str  # as pg_get_function_identity_arguments() says them
    returns: str
    language: str
    body: str
    definer: bool = False
    volatility: str = "VOLATILE"
    owner: str = OWNER
    execute: tuple[str, ...] = ()  # roles granted EXECUTE (besides the owner)

    @property
    def signature(self) -> str:
        return f"public.{self.name}({self.args})"

    @property
    def typed(self) -> str:
        """The signature with the argument types only (as regprocedure reads it)."""
        types = [a.strip().split(" ", 1)[1] for a in self.args.split(",") if a.strip()]
        return f"public.{self.name}({', '.join(types)})"

    def create(self) -> str:
        security = " SECURITY DEFINER" if self.definer else ""
        return (
            f"CREATE OR REPLACE FUNCTION {self.signature} RETURNS {self.returns} "
            f"LANGUAGE {self.language} {self.volatility}{security} "
            f"SET search_path = {SEARCH_PATH} AS $fn${self.body}$fn$"
        )


def _kinds_values() -> str:
    pairs = [f"('{role}', '{kind}')" for role, kinds in kinds_by_role().items() for kind in kinds]
    return ",\n      ".join(pairs)


_SEES_CONFIDENTIAL = """
  SELECT NOT pg_catalog.pg_has_role(CURRENT_USER, 'liyuan_member', 'MEMBER')
      OR pg_catalog.pg_has_role(CURRENT_USER, 'liyuan_cs_supervisor', 'MEMBER')
      OR pg_catalog.pg_has_role(CURRENT_USER, 'liyuan_manager', 'MEMBER')
      OR ((pg_catalog.pg_has_role(CURRENT_USER, 'liyuan_assistant', 'MEMBER')
           OR pg_catalog.pg_has_role(CURRENT_USER, 'liyuan_dept_staff', 'MEMBER'))
          AND CURRENT_USER::text IN (created_by, assignee))
"""

_REQUEST_VISIBLE = """
  SELECT EXISTS (SELECT 1 FROM public.request r WHERE r.id = request_id)
"""

# A request that is the writer's own (permissions.owns): department staff charge and take money
# on those only.
_OWN_REQUEST = """
  SELECT EXISTS (SELECT 1 FROM public.request r
                  WHERE r.id = request_id AND CURRENT_USER::text IN (r.created_by, r.assignee))
"""

_OWN_ORDER = """
  SELECT order_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM public.workorder w WHERE w.id = order_id AND w.technician = CURRENT_USER::text)
"""

_MAX_REQUEST_SEQ = """
  SELECT coalesce(max(r.ref_seq), 0) FROM public.request r WHERE r.ref_month = month
"""

_MAX_RECEIPT_SEQ = """
  SELECT coalesce(max(r.ref_seq), 0) FROM public.receipt r WHERE r.ref_month = month
"""

_NEXT_EVENT_ID = """
DECLARE
  next_id bigint;
BEGIN
  -- One writer at a time (the counter's row lock, held to the commit): ids follow each other
  -- without a gap, in commit order, and one never comes back (even the newest event removed).
  UPDATE public.event_counter c SET last_id = c.last_id + 1 WHERE c.id = 1 RETURNING c.last_id INTO next_id;
  RETURN next_id;
END
"""

# The newest event a desk may look for, in one row's read whatever the history (max(id) under
# row-level security reads every event): the counter as committed. It moves only when the event
# that took the number commits (the row lock is held to the commit), so a desk that read N has
# every event up to N to read; it says how many events there are, never what they are.
_LAST_EVENT_ID = """
  SELECT c.last_id FROM public.event_counter c WHERE c.id = 1
"""

_EVENT_GUARD = f"""
DECLARE
  me text := SESSION_USER;
BEGIN
  NEW.id := public.liyuan_next_event_id();
  NEW.db_user := me;
  NEW.tx := pg_catalog.txid_current();
  IF CURRENT_USER = 'liyuan_owner'
     OR NOT (pg_catalog.pg_has_role(me, 'liyuan_member', 'MEMBER')
             OR pg_catalog.pg_has_role(me, 'liyuan_pager', 'MEMBER'))
     OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = me AND r.rolsuper) THEN
    RETURN NEW;  -- the server's own functions, or the cluster's administrator
  END IF;
  IF NEW.dedupe_key IS NOT NULL AND NOT (pg_catalog.pg_has_role(me, 'liyuan_pager', 'MEMBER')
                                         AND NEW.dedupe_key ~ '^page-(rung|end):') THEN
    RAISE EXCEPTION 'only the warning ladder records its rungs (liyuan_ladder_rung)'
      USING ERRCODE = '42501';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM (VALUES
      {_kinds_values()}
    ) AS k(role, kind)
    WHERE k.kind = NEW.kind AND pg_catalog.pg_has_role(me, 'liyuan_' || k.role, 'MEMBER')) THEN
    RAISE EXCEPTION 'your role may not record an event of kind %', NEW.kind USING ERRCODE = '42501';
  END IF;
  IF NEW.actor IS DISTINCT FROM me AND NOT (
      (pg_catalog.pg_has_role(me, 'liyuan_cs_supervisor', 'MEMBER')
       OR pg_catalog.pg_has_role(me, 'liyuan_manager', 'MEMBER'))
      AND EXISTS (SELECT 1 FROM public.staff s WHERE s.login = NEW.actor AND s.active))
     AND NOT (NEW.actor = 'pager' AND pg_catalog.pg_has_role(me, 'liyuan_pager', 'MEMBER')) THEN
    RAISE EXCEPTION 'an event''s actor is its writer (% is not %)', NEW.actor, me USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
"""

_APPEND_ONLY = """
BEGIN
  RAISE EXCEPTION 'events are append-only' USING ERRCODE = '42501';
END
"""

_TX_HAS_DESK_EVENT = """
DECLARE
  r record;
BEGIN
  -- This transaction's events are the newest (ids are given under the counter's row lock, held
  -- from its first event to the commit): read back from the top while they are ours.
  FOR r IN SELECT e.kind, e.db_user, e.tx FROM public.event e ORDER BY e.id DESC LOOP
    EXIT WHEN r.tx IS DISTINCT FROM pg_catalog.txid_current();
    IF r.kind <> 'db_change' AND r.db_user = SESSION_USER THEN
      RETURN true;
    END IF;
  END LOOP;
  RETURN false;
END
"""

_AUDIT = """
DECLARE
  data jsonb := pg_catalog.to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
  req integer;
  said jsonb;
BEGIN
  IF TG_TABLE_NAME = 'pager_sender' AND pg_catalog.pg_has_role(SESSION_USER, 'liyuan_pager', 'MEMBER')
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = SESSION_USER AND r.rolsuper) THEN
    RETURN NULL;  -- the sender's own lease (taken, kept alive every few seconds, given up): not a change
  END IF;
  IF public.liyuan_tx_has_desk_event() THEN
    RETURN NULL;  -- the writer's own event of this transaction says what was done
  END IF;
  IF TG_TABLE_NAME = 'request' THEN
    req := (data ->> 'id')::integer;
  ELSIF data ? 'request_id' THEN
    req := (data ->> 'request_id')::integer;
  END IF;
  said := pg_catalog.jsonb_build_object('table', TG_TABLE_NAME, 'operation', TG_OP,
                                        'id', data -> 'id', 'version', data -> 'version');
  IF TG_OP = 'DELETE' THEN
    said := said || pg_catalog.jsonb_build_object('row', data - 'notes');
  END IF;
  INSERT INTO public.event (request_id, at, actor, kind, payload)
  VALUES (req, pg_catalog.timezone('UTC', pg_catalog.now()), SESSION_USER, 'db_change', said::text);
  RETURN NULL;
END
"""

_NOTIFY = """
BEGIN
  PERFORM pg_catalog.pg_notify('liyuan_events', NEW.id::text);
  RETURN NULL;
END
"""

_SUPERVISORS = ("liyuan_cs_supervisor", "liyuan_manager")

FUNCTIONS: tuple[Function, ...] = (
    Function(
        "liyuan_sees_confidential",
        "created_by character varying, assignee character varying",
        "boolean",
        "sql",
        _SEES_CONFIDENTIAL,
        volatility="STABLE",
        execute=(MEMBER,),
    ),
    Function(
        "liyuan_request_visible",
        "request_id integer",
        "boolean",
        "sql",
        _REQUEST_VISIBLE,
        volatility="STABLE",
        execute=(MEMBER,),
    ),
    Function(
        "liyuan_own_request",
        "request_id integer",
        "boolean",
        "sql",
        _OWN_REQUEST,
        volatility="STABLE",
        execute=(MEMBER,),
    ),
    Function(
        "liyuan_own_order",
        "order_id integer",
        "boolean",
        "sql",
        _OWN_ORDER,
        volatility="STABLE",
        execute=(MEMBER,),
    ),
    Function(
        "liyuan_max_request_seq",
        "month text",
        "integer",
        "sql",
        _MAX_REQUEST_SEQ,
        definer=True,
        volatility="STABLE",
        execute=(MEMBER,),
    ),
    Function(  # (receipts hang on requests: numbering sees the confidential ones' too)
        "liyuan_max_receipt_seq",
        "month text",
        "integer",
        "sql",
        _MAX_RECEIPT_SEQ,
        definer=True,
        volatility="STABLE",
        execute=(MEMBER,),
    ),
    Function(
        "liyuan_next_event_id",
        "",
        "integer",
        "plpgsql",
        _NEXT_EVENT_ID,
        definer=True,
        execute=(MEMBER, PAGER),  # (the event guard, run as the writer, calls it)
    ),
    Function(
        "liyuan_last_event_id",
        "",
        "bigint",
        "sql",
        _LAST_EVENT_ID,
        definer=True,
        volatility="STABLE",
        execute=(MEMBER, PAGER),
    ),
    Function("liyuan_event_guard", "", "trigger", "plpgsql", _EVENT_GUARD),
    Function("liyuan_events_append_only", "", "trigger", "plpgsql", _APPEND_ONLY),
    Function("liyuan_tx_has_desk_event", "", "boolean", "plpgsql", _TX_HAS_DESK_EVENT, definer=True),
    Function("liyuan_audit", "", "trigger", "plpgsql", _AUDIT, definer=True),
    Function(
        "liyuan_ladder_rung", "key text", "integer", "plpgsql", _LADDER_RUNG, definer=True, execute=(MEMBER,)
    ),
    Function(
        "liyuan_staff_sync",
        "staff_login text",
        "void",
        "plpgsql",
        _STAFF_SYNC,
        definer=True,
        owner=ROLES_ADMIN,
        execute=_SUPERVISORS,
    ),
    Function("liyuan_event_notify", "", "trigger", "plpgsql", _NOTIFY),
    Function(
        "liyuan_event_gaps",
        "",
        "text",
        "plpgsql",
        _EVENT_GAPS,
        definer=True,
        volatility="STABLE",
        execute=(MEMBER,),
    ),
)
# Functions of earlier releases, dropped by install and repair (a definer executable by PUBLIC
# with the caller's search path among them).
RETIRED = (
    "public.liyuan_max_seq(text, text)",
    "public.liyuan_request_audit()",
    "public.liyuan_staff_role(text, text, boolean)",
    "public.liyuan_may_see(boolean, text, text)",
)


@dataclass(frozen=True)
class Trigger:
    table: str
    name: str
    definition: str  # what pg_get_triggerdef() says, as installed

    def create(self) -> str:
        return self.definition


def triggers(tables: tuple[str, ...]) -> tuple[Trigger, ...]:
    out = [
        Trigger(
            "event",
            "event_guard",
            "CREATE TRIGGER event_guard BEFORE INSERT ON public.event FOR EACH ROW EXECUTE FUNCTION public.liyuan_event_guard()",
        ),
        Trigger(
            "event",
            "event_append_only",
            "CREATE TRIGGER event_append_only BEFORE DELETE OR UPDATE ON public.event FOR EACH ROW EXECUTE FUNCTION public.liyuan_events_append_only()",
        ),
        Trigger(
            "event",
            "event_no_truncate",
            "CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON public.event FOR EACH STATEMENT EXECUTE FUNCTION public.liyuan_events_append_only()",
        ),
        Trigger(
            "event",
            "event_notify",
            "CREATE TRIGGER event_notify AFTER INSERT ON public.event FOR EACH ROW EXECUTE FUNCTION public.liyuan_event_notify()",
        ),
    ]
    for table in tables:
        if table in ("event", "event_counter"):  # (the events are the record; the counter is theirs)
            continue
        out.append(
            Trigger(
                table,
                f"{table}_audit",
                f"CREATE CONSTRAINT TRIGGER {table}_audit AFTER INSERT OR DELETE OR UPDATE ON public.{table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.liyuan_audit()",
            )
        )
    return tuple(out)
