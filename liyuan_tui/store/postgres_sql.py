"""The server's own functions on a PostgreSQL site, as this release installs them (and as `liyuan
check` expects to find them, to the character).

Every function pins `search_path = pg_catalog, public, pg_temp` (pg_temp last: a caller's
temporary objects never shadow anything) and names every table and function with its schema;
none is executable by PUBLIC; none builds SQL from a caller's text except the role names of the
staff path, which must be on the staff list, match the login pattern and are quoted with %I.

The SECURITY DEFINER ones run as `liyuan_owner` (NOLOGIN, NOCREATEROLE) — numbering requests,
the audit, the ladder's rungs, an event's id — except `liyuan_staff_sync`, which runs as
`liyuan_roles` (NOLOGIN, CREATEROLE, NOINHERIT: owns nothing but this function), the one narrow
path that creates, moves and stops login roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from liyuan_tui.domain.event_rights import kinds_by_role
from liyuan_tui.domain.models import ROLES

SEARCH_PATH = "pg_catalog, public, pg_temp"
OWNER = "liyuan_owner"
ROLES_ADMIN = "liyuan_roles"
MEMBER = "liyuan_member"
LOGIN_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$"


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
      OR (pg_catalog.pg_has_role(CURRENT_USER, 'liyuan_assistant', 'MEMBER')
          AND CURRENT_USER::text IN (created_by, assignee))
"""

_REQUEST_VISIBLE = """
  SELECT EXISTS (SELECT 1 FROM public.request r WHERE r.id = request_id)
"""

_OWN_ORDER = """
  SELECT order_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM public.workorder w WHERE w.id = order_id AND w.technician = CURRENT_USER::text)
"""

_MAX_REQUEST_SEQ = """
  SELECT coalesce(max(r.ref_seq), 0) FROM public.request r WHERE r.ref_month = month
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

_EVENT_GUARD = f"""
DECLARE
  me text := SESSION_USER;
BEGIN
  NEW.id := public.liyuan_next_event_id();
  NEW.db_user := me;
  NEW.tx := pg_catalog.txid_current();
  IF CURRENT_USER = 'liyuan_owner' OR NOT pg_catalog.pg_has_role(me, 'liyuan_member', 'MEMBER')
     OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = me AND r.rolsuper) THEN
    RETURN NEW;  -- the server's own functions, or the cluster's administrator
  END IF;
  IF NEW.dedupe_key IS NOT NULL THEN
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
      AND EXISTS (SELECT 1 FROM public.staff s WHERE s.login = NEW.actor AND s.active)) THEN
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
  -- This transaction's events are the newest (ids are given under the write lock): read back
  -- from the top while they are ours.
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

_LADDER_RUNG = """
DECLARE
  now_utc timestamp := pg_catalog.timezone('UTC', pg_catalog.now());
  part text[];
  req public.request;
  ord public.workorder;
  due timestamp;
  warn_from timestamp;
  kind text;
  late integer;
  said jsonb;
  new_id integer;
BEGIN
  IF key !~ '^(warn:[0-9]{1,9}|overdue:[0-9]{1,9}:[0-9]{1,6}|order-(warn|late):[0-9]{1,9}:(arrive|finish))$' THEN
    RAISE EXCEPTION 'not a rung of the warning ladder: %', key USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM public.event e WHERE e.dedupe_key = key) THEN
    RETURN NULL;
  END IF;
  part := pg_catalog.string_to_array(key, ':');
  IF part[1] IN ('warn', 'overdue') THEN
    SELECT * INTO req FROM public.request r WHERE r.id = part[2]::integer;
    IF NOT FOUND OR req.status <> 'open' OR req.replied_at IS NOT NULL THEN
      RETURN NULL;
    END IF;
    IF part[1] = 'warn' THEN
      kind := 'deadline_warning';
      due := req.reply_due_at - interval '3 minutes';
    ELSIF part[3]::integer = 0 THEN
      kind := 'auto_escalated';
      due := req.reply_due_at;
    ELSE
      kind := 'overdue_alert';
      due := req.reply_due_at + part[3]::integer * interval '5 minutes';
    END IF;
    IF now_utc < due THEN
      RETURN NULL;  -- not reached yet by the server's clock
    END IF;
    late := pg_catalog.floor(EXTRACT(EPOCH FROM now_utc - req.reply_due_at))::integer;
    said := pg_catalog.jsonb_build_object('noticed_by', SESSION_USER, 'late_seconds', GREATEST(0, late),
                                          'seconds_left', GREATEST(0, -late));
    IF kind = 'auto_escalated' AND req.escalated_at IS NULL THEN
      UPDATE public.request r SET escalated_at = now_utc, escalated_to = 'cs_supervisor', escalated_by = 'system'
       WHERE r.id = req.id;
    END IF;
    INSERT INTO public.event (request_id, at, actor, kind, payload, dedupe_key)
    VALUES (req.id, now_utc, 'system', kind, said::text, key) RETURNING id INTO new_id;
    RETURN new_id;
  END IF;
  SELECT * INTO ord FROM public.workorder w WHERE w.id = part[2]::integer;
  IF NOT FOUND OR ord.state NOT IN ('dispatched', 'on_site', 'waiting_parts')
     OR (part[3] = 'arrive' AND ord.arrived_at IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  due := CASE part[3] WHEN 'arrive' THEN ord.arrive_due_at ELSE ord.finish_due_at END;
  IF due IS NULL THEN
    RETURN NULL;
  END IF;
  IF part[1] = 'order-late' THEN
    kind := 'order_late';
    IF now_utc <= due THEN RETURN NULL; END IF;
  ELSE
    kind := 'order_warning';
    warn_from := due - (CASE part[3] WHEN 'arrive' THEN interval '10 minutes' ELSE interval '1 hour' END);
    IF now_utc < warn_from OR now_utc > due THEN
      RETURN NULL;
    END IF;
  END IF;
  late := pg_catalog.floor(EXTRACT(EPOCH FROM now_utc - due))::integer;
  said := pg_catalog.jsonb_build_object('order', ord.number, 'technician', ord.technician, 'limit', part[3],
                                        'noticed_by', SESSION_USER, 'late_seconds', GREATEST(0, late),
                                        'seconds_left', GREATEST(0, -late));
  INSERT INTO public.event (request_id, at, actor, kind, payload, dedupe_key)
  VALUES (ord.request_id, now_utc, 'system', kind, said::text, key) RETURNING id INTO new_id;
  RETURN new_id;
END
"""

_DESK_GROUPS = ", ".join(f"'liyuan_{r}'" for r in ROLES)

_STAFF_SYNC = f"""
DECLARE
  me text := SESSION_USER;
  wanted record;
  existing record;
  g text;
BEGIN
  IF NOT (pg_catalog.pg_has_role(me, 'liyuan_cs_supervisor', 'MEMBER')
          OR pg_catalog.pg_has_role(me, 'liyuan_manager', 'MEMBER')
          OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = me AND r.rolsuper)) THEN
    RAISE EXCEPTION 'only a supervisor or the manager changes the staff list' USING ERRCODE = '42501';
  END IF;
  IF staff_login !~ '{LOGIN_PATTERN}' OR staff_login ~* '^(liyuan|pg)_' OR staff_login IN ('postgres', 'public') THEN
    RAISE EXCEPTION 'not a desk login: %', staff_login USING ERRCODE = '22023';
  END IF;
  SELECT s.role, s.active INTO wanted FROM public.staff s WHERE s.login = staff_login;
  IF NOT FOUND OR wanted.role NOT IN ({", ".join(f"'{r}'" for r in ROLES)}) THEN
    RAISE EXCEPTION '% is not on the staff list', staff_login USING ERRCODE = '22023';
  END IF;
  SELECT r.oid, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls INTO existing
    FROM pg_catalog.pg_roles r WHERE r.rolname = staff_login;
  IF NOT FOUND THEN
    EXECUTE pg_catalog.format('CREATE ROLE %I LOGIN', staff_login);
  ELSIF existing.rolsuper OR existing.rolcreaterole OR existing.rolcreatedb OR existing.rolreplication OR existing.rolbypassrls
     OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
                WHERE m.member = existing.oid AND r.rolname NOT IN ({_DESK_GROUPS})) THEN
    RAISE EXCEPTION 'the database role % is more than a desk login: an administrator changes it', staff_login
      USING ERRCODE = '42501';
  END IF;
  FOR g IN SELECT r.rolname FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
           JOIN pg_catalog.pg_roles u ON u.oid = m.member
           WHERE u.rolname = staff_login AND r.rolname IN ({_DESK_GROUPS}) AND r.rolname <> 'liyuan_' || wanted.role LOOP
    EXECUTE pg_catalog.format('REVOKE %I FROM %I', g, staff_login);
  END LOOP;
  IF NOT pg_catalog.pg_has_role(staff_login, 'liyuan_' || wanted.role, 'MEMBER') THEN
    EXECUTE pg_catalog.format('GRANT %I TO %I', 'liyuan_' || wanted.role, staff_login);
  END IF;
  IF NOT pg_catalog.has_database_privilege(staff_login, pg_catalog.current_database(), 'CONNECT') THEN
    EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO %I', pg_catalog.current_database(), staff_login);
  END IF;
  IF (SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = staff_login) IS DISTINCT FROM wanted.active THEN
    EXECUTE pg_catalog.format('ALTER ROLE %I %s', staff_login, CASE WHEN wanted.active THEN 'LOGIN' ELSE 'NOLOGIN' END);
  END IF;
END
"""

_NOTIFY = """
BEGIN
  PERFORM pg_catalog.pg_notify('liyuan_events', NEW.id::text);
  RETURN NULL;
END
"""

_EVENT_GAPS = """
DECLARE
  since bigint := coalesce(pg_catalog.substring(pg_catalog.col_description('public.event'::regclass,
    (SELECT a.attnum FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = 'public.event'::regclass AND a.attname = 'id')), 'gap-free after ([0-9]+)')::bigint, 0);
BEGIN
  -- Ids missing after the install (events cannot be deleted: one missing was taken out past
  -- the triggers) and not yet put on record by a repair; at most twenty named.
  RETURN (SELECT pg_catalog.string_agg(g.id::text, ', ' ORDER BY g.id)
            FROM (SELECT s.id FROM pg_catalog.generate_series(since + 1,
                    GREATEST((SELECT coalesce(max(e.id), 0) FROM public.event e),
                             (SELECT c.last_id FROM public.event_counter c WHERE c.id = 1))) AS s(id)
                  WHERE NOT EXISTS (SELECT 1 FROM public.event e WHERE e.id = s.id)
                    AND s.id NOT IN (SELECT pg_catalog.jsonb_array_elements_text(e.payload::jsonb -> 'events_missing')::bigint
                                       FROM public.event e WHERE e.kind = 'site_repaired')
                  ORDER BY s.id LIMIT 20) AS g);
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
    Function(
        "liyuan_next_event_id", "", "integer", "plpgsql", _NEXT_EVENT_ID, definer=True, execute=(MEMBER,)
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
