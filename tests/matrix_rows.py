"""The rows tests/server/test_matrix.py probes: what the administrator seeds (request 1002 is
confidential and the supervisor's; request 1003 is department staff's own), a row of each table to
insert, and which row and column an UPDATE or SELECT probe uses where it is not `id` 1001."""

from __future__ import annotations

# Rows made by the administrator: (table, id) → who "owns" it. Request 1002 is confidential and
# the supervisor's: only the supervisors and the manager may see it (and what hangs on it).
SEED = """
INSERT INTO estate (code, name) VALUES ('main', 'Main');
INSERT INTO request (id, ref, ref_month, ref_seq, category, channel, requester_name, unit, phone, description,
  received_at, reply_due_at, major, confidential, status, created_by, branches, outcome, outcome_kind, handed_to,
  version)
VALUES
 (1001, '209901-9001', '209901', 9001, 'repair', 'phone', 'R', '1-1', '13800000000', 'a tap', now(),
  now() + interval '1 hour', false, false, 'open', '{ann}', '', '', '', '', 1),
 (1002, '209901-9002', '209901', 9002, 'consultation', 'phone', 'S', '2-2', '13800000001', 'SECRET', now(),
  now() + interval '1 hour', false, true, 'open', '{sup}', '', '', '', '', 1),
 (1003, '209901-9003', '209901', 9003, 'repair', 'phone', 'E', '3-3', '13800000002', 'a door', now(),
  now() + interval '1 hour', false, false, 'open', '{eng}', '', '', '', '', 1);
INSERT INTO steprecord (id, request_id, step_key, done_at, done_by, note, value) VALUES
 (1001, 1001, 'a', now(), '{ann}', '', ''), (1002, 1002, 'a', now(), '{sup}', '', '');
INSERT INTO charge (id, request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note)
 SELECT id, req, 'drain', 1, 5000, 5000, now(), '{ann}', '' FROM (VALUES (1001, 1001), (1002, 1002), (1003, 1003),
  (1004, 1003), (1005, 1001), (1006, 1002), (1007, 1003)) AS c(id, req);
INSERT INTO receipt (id, number, ref_month, ref_seq, charge_id, request_id, amount_cents, created_at, created_by,
  paid_at, paid_by, method, version)
 SELECT id, 'S209901-' || id, '209901', id, id, req, 5000, now(), '{ann}', paid, paid_by, method, 1
 FROM (VALUES (1001, 1001, NULL::timestamp, NULL, ''), (1002, 1002, NULL, NULL, ''), (1003, 1003, NULL, NULL, ''),
  (1004, 1003, now(), '{ann}', 'cash')) AS r(id, req, paid, paid_by, method);
INSERT INTO duty_note (id, estate, at, by, text) VALUES (1001, 'main', now(), '{gd}', 'patrol');
INSERT INTO handover (id, estate, since, signed_at, signed_by, to_login, note, sheet, accepted_at, version)
 SELECT id, 'main', now(), now(), '{sup}', login, '', '{{}}', accepted, 1 FROM (
  SELECT 1001, 'someone', NULL::timestamp UNION ALL
  SELECT 2000 + i - 1, login, NULL FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i) UNION ALL
  SELECT 3000 + i - 1, login, now() FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i)
 ) AS h(id, login, accepted);
INSERT INTO reception (id, estate, at, name, purpose, unit, received_by, outcome) VALUES
 (1001, 'main', now(), 'V', 'a visit', '1-1', '{ann}', '');
INSERT INTO commendation (id, login, kind, note, by, at)
 SELECT 2000 + i - 1, login, 'reward', '', '{sup}', now() FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i);
INSERT INTO recommendation (id, login, for_what, note, by, at)
 SELECT 2000 + i - 1, login, 'promotion', '', '{sup}', now() FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i);
INSERT INTO followup (id, request_id, at, by, reached, score, note) VALUES
 (1001, 1001, now(), '{ann}', true, 5, ''), (1002, 1002, now(), '{sup}', true, 4, '');
INSERT INTO resident (id, unit, name, phones, notes, relation) VALUES (1001, '1-1', 'R', '13800000000', 'n', '');
INSERT INTO household (id, unit, emergency_name, emergency_phone, emergency_relation, elderly_alone, disability,
  language, notes, updated_by, version) VALUES (1001, '1-1', 'E', '139', 'son', true, false, '', 'note', '{ann}', 1);
INSERT INTO training (id, login, course, day, result, recorded_by, at, session) VALUES
 (1001, 'someone', 'c', '2099-01-01', '', '{sup}', now(), 1001);
INSERT INTO training (id, login, course, day, result, recorded_by, at)
 SELECT 2000 + i - 1, login, 'c', '2099-01-01', '', '{sup}', now() FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i);
INSERT INTO assessment (id, login, month, score, note, by, at)
 SELECT 2000 + i - 1, login, '2099-01', 90, '', '{sup}', now() FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i);
INSERT INTO workorder (id, number, number_month, number_seq, request_id, technician, state, created_at, created_by,
  wait_reason, signed_by, not_home, note, finish_note, cancel_reason, version) VALUES
 (1001, 'W209901-9001', '209901', 9001, 1001, '{tech}', 'dispatched', now(), '{ann}', '', '', false, '', '', '', 1),
 (1002, 'W209901-9002', '209901', 9002, 1001, 'someone', 'dispatched', now(), '{ann}', '', '', false, '', '', '', 1);
INSERT INTO material (id, code, name, unit, price_fen, on_hand_milli, created_at, version) VALUES
 (1001, 'PIPE', 'pipe', 'm', 100, 10000, now(), 1);
INSERT INTO stockmove (id, material_id, kind, delta_milli, balance_milli, price_fen, at, by, order_id, reason) VALUES
 (1001, 1001, 'in', 10000, 10000, 100, now(), '{sup}', 1001, '');
INSERT INTO tool (id, code, name, condition, created_at, version) VALUES (1001, 'WRENCH', 'wrench', 'ok', now(), 1);
INSERT INTO toolloan (id, tool_id, holder, issued_at, issued_by, condition_back, note) VALUES
 (1001, 1001, '{tech}', now(), '{ann}', '', '');
INSERT INTO event (id, request_id, at, actor, kind, payload) VALUES
 (1001, 1001, now(), '{ann}', 'created', '{{}}'), (1002, 1002, now(), '{sup}', 'created', '{{}}');
INSERT INTO month_analysis (id, month, estate, text, written_by, written_at) VALUES
 (1001, '2099-01', 'main', 't', '{sup}', now());
INSERT INTO duty_shift (id, duty, login, backup, starts_at, ends_at, added_by, added_at) VALUES
 (1001, 'duty_manager', '{mgr}', false, now(), now() + interval '1 day', '{sup}', now());
INSERT INTO page (id, key, chain, request_id, ref, login, reason, duty, rung, status, attempts, queued_at,
  delivered, error) VALUES
 (1001, 'probe-1001', 'major:1', 1001, '209901-9001', 'someone', 'major', 'duty_manager', 0, 'queued', 0, now(), '', '');
INSERT INTO page (id, key, chain, login, reason, duty, rung, status, attempts, queued_at, delivered, error)
 SELECT 2000 + i - 1, 'probe-' || i, 'major:1', login, 'major', 'duty_manager', 0, 'queued', 0, now(), '', ''
 FROM unnest(ARRAY[{everyone}]) WITH ORDINALITY AS x(login, i);
INSERT INTO pager_sender (id, holder, started_at, heartbeat_at) VALUES (1, 'host:1:nonce', now(), now());
"""

# A row of each table to insert (placeholders: {me}; {writer}, the login written as its writer;
# {req} the request it hangs on, {charge} a charge of it with no receipt; {order}).
INSERTS = {
    "request": "INSERT INTO request (ref, ref_month, ref_seq, category, channel, requester_name, unit, phone, "
    "description, received_at, reply_due_at, major, confidential, status, created_by, branches, outcome, "
    "outcome_kind, handed_to, version) VALUES ('209901-9100', '209901', 9100, 'repair', 'phone', '', '1', '1', "
    "'', now(), now(), false, true, 'open', '{me}', '', '', '', '', 1)",
    "steprecord": "INSERT INTO steprecord (request_id, step_key, done_at, done_by, note, value) "
    "VALUES ({req}, 'zz', now(), '{me}', '', '')",
    # (a kind the role may record: a step for the desk roles, a page sent for the pager)
    "event": "INSERT INTO event (request_id, at, actor, kind, payload) VALUES ({req}, now(), '{me}', '{kind}', '{{}}')",
    "charge": "INSERT INTO charge (request_id, item_code, qty, unit_price_cents, amount_cents, at, by, note) "
    "VALUES ({req}, 'drain', 1, 5000, 5000, now(), '{me}', '')",
    "followup": "INSERT INTO followup (request_id, at, by, reached, note) VALUES ({req}, now(), '{me}', true, '')",
    "staff": "INSERT INTO staff (login, name, role, phone, active, estate) "
    "VALUES ('probe', 'P', 'guard', '', true, 'main')",
    "estate": "INSERT INTO estate (code, name) VALUES ('probe', 'P')",
    "resident": "INSERT INTO resident (unit, name, phones, notes, relation) VALUES ('9', 'P', '', '', '')",
    "household": "INSERT INTO household (unit, emergency_name, emergency_phone, emergency_relation, "
    "elderly_alone, disability, language, notes, updated_by, version) "
    "VALUES ('9', '', '', '', false, false, '', '', '{me}', 1)",
    "feeitem": "INSERT INTO feeitem (code, name_zh, name_en, unit_zh, unit_en, price_cents, active) "
    "VALUES ('probe', 'p', 'p', 'u', 'u', 1, true)",
    "site_rules": "INSERT INTO site_rules (kind, version, content, digest, published_by, published_at) "
    "VALUES ('fees', 999, '', '', '{me}', now())",
    "month_analysis": "INSERT INTO month_analysis (month, estate, text, written_by, written_at) "
    "VALUES ('2099-02', 'main', 't', '{me}', now())",
    "training": "INSERT INTO training (login, course, day, result, recorded_by, at) "
    "VALUES ('{me}', 'c', '2099-01-02', '', '{me}', now())",
    "assessment": "INSERT INTO assessment (login, month, score, note, by, at) "
    "VALUES ('{me}', '2099-03', 70, '', '{me}', now())",
    "workorder": "INSERT INTO workorder (number, number_month, number_seq, request_id, state, created_at, "
    "created_by, wait_reason, signed_by, not_home, note, finish_note, cancel_reason, version) "
    "VALUES ('W209901-9100', '209901', 9100, 1001, 'pending', now(), '{me}', '', '', false, '', '', '', 1)",
    "material": "INSERT INTO material (code, name, unit, price_fen, on_hand_milli, created_at, version) "
    "VALUES ('PROBE', 'p', 'm', 1, 0, now(), 1)",
    "stockmove": "INSERT INTO stockmove (material_id, kind, delta_milli, balance_milli, price_fen, at, by, "
    "order_id, reason) VALUES (1001, 'use', -1, 9999, 100, now(), '{me}', {order}, '')",
    "tool": "INSERT INTO tool (code, name, condition, created_at, version) VALUES ('PROBE', 'p', 'ok', now(), 1)",
    "toolloan": "INSERT INTO toolloan (tool_id, holder, issued_at, issued_by, condition_back, note) "
    "VALUES (1001, '{me}', now(), '{me}', '', '')",
    "duty_shift": "INSERT INTO duty_shift (duty, login, backup, starts_at, ends_at, added_by, added_at) "
    "VALUES ('duty_supervisor', '{me}', false, now(), now() + interval '1 hour', '{me}', now())",
    "page": "INSERT INTO page (key, chain, login, reason, duty, rung, status, attempts, queued_at, delivered, "
    "error) VALUES ('probe-new', 'major:2', '{me}', 'major', 'duty_manager', 0, 'queued', 0, now(), '', '')",
    "pager_sender": "INSERT INTO pager_sender (id, holder) VALUES (2, 'probe')",
    "receipt": "INSERT INTO receipt (number, ref_month, ref_seq, charge_id, request_id, amount_cents, created_at, "
    "created_by, method, version) VALUES ('S209901-9100', '209901', 9100, {charge}, {req}, 5000, now(), '{writer}', "
    "'', 1)",
    "duty_note": "INSERT INTO duty_note (estate, at, by, text) VALUES ('main', now(), '{writer}', 'probe')",
    "handover": "INSERT INTO handover (estate, since, signed_at, signed_by, to_login, note, sheet, version) "
    "VALUES ('main', now(), now(), '{writer}', 'someone', '', '{{}}', 1)",
    "reception": "INSERT INTO reception (estate, at, name, purpose, unit, received_by, outcome) "
    "VALUES ('main', now(), 'V', 'probe', '', '{writer}', '')",
    "commendation": "INSERT INTO commendation (login, kind, note, by, at) "
    "VALUES ('someone', 'reward', '', '{me}', now())",
    "recommendation": "INSERT INTO recommendation (login, for_what, note, by, at) "
    "VALUES ('someone', 'promotion', '', '{me}', now())",
    "alembic_version": "INSERT INTO alembic_version (version_num) VALUES ('probe')",
    "event_counter": "INSERT INTO event_counter (id, last_id) VALUES (2, 0)",
}
# (key column, the row's key as SQL, a column to set to itself)
ROWS = {
    "estate": ("code", "'main'", "name"),
    "feeitem": ("code", "'drain'", "name_en"),
    "alembic_version": ("version_num", "version_num", "version_num"),
    "staff": ("id", "(SELECT min(id) FROM staff)", "name"),
    "site_rules": ("id", "(SELECT min(id) FROM site_rules)", "digest"),
    "event_counter": ("id", "1", "last_id"),
    "training": ("id", "2000", "course"),
    "assessment": ("id", "2000", "note"),
    "pager_sender": ("id", "1", "holder"),
    "commendation": ("id", "2000", "note"),
    "recommendation": ("id", "2000", "note"),
}
# A charge with no receipt yet, of each request (a receipt's insert needs one)
FREE_CHARGE = {1001: 1005, 1002: 1006, 1003: 1007}
# Rows done with, which change no more (postgres_matrix.UPDATABLE_ROWS): a receipt paid (on request
# 1003, which every role sees and which is department staff's own), a handover accepted (one to
# each role, 3000 + its place), a training whose session was given.
DONE_ROWS = {"receipt": 1004, "handover": 3000, "training": 1001}
SET_COLUMN = {
    "material": "on_hand_milli",
    "household": "unit",
    "resident": "unit",
    "workorder": "note",
    "duty_shift": "login",
    "page": "status",
}
