"""The bodies of the server's own paths (postgres_sql.py installs them): the warning ladder's
rung, the staff list's one path to login roles, and the event ids missing. Each a SECURITY
DEFINER function with its search path pinned; each reads its input as data, never as SQL."""

from __future__ import annotations

from liyuan_tui.domain.models import ROLES

LOGIN_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$"

LADDER_RUNG = """
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
  part := pg_catalog.string_to_array(key, ':');
  -- The request's or the order's row is locked first, then the key looked for (a statement of its
  -- own, after the lock): two desks noticing one rung take turns and the second finds it recorded.
  IF part[1] IN ('warn', 'overdue') THEN
    SELECT * INTO req FROM public.request r WHERE r.id = part[2]::integer FOR UPDATE;
    IF NOT FOUND OR req.status <> 'open' OR req.replied_at IS NOT NULL
       OR EXISTS (SELECT 1 FROM public.event e WHERE e.dedupe_key = key) THEN
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
  SELECT * INTO ord FROM public.workorder w WHERE w.id = part[2]::integer FOR UPDATE;
  IF NOT FOUND OR ord.state NOT IN ('dispatched', 'on_site', 'waiting_parts')
     OR (part[3] = 'arrive' AND ord.arrived_at IS NOT NULL)
     OR EXISTS (SELECT 1 FROM public.event e WHERE e.dedupe_key = key) THEN
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

STAFF_SYNC = f"""
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

EVENT_GAPS = """
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
