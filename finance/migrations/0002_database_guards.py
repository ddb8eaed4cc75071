"""Database guards that hold even if a service has a bug:

* the ledger is append-only: UPDATE is refused (both databases), DELETE too on PostgreSQL
  (SQLite's test flush deletes rows; PostgreSQL's truncates, which row triggers do not see);
* a batch item's payer must be its batch's payer and its share's payer.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION finance_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'finance ledger is append-only' USING ERRCODE = 'integrity_constraint_violation';
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER finance_ledger_append_only BEFORE UPDATE OR DELETE ON finance_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION finance_ledger_append_only();

CREATE OR REPLACE FUNCTION finance_batch_item_same_payer() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM finance_paymentbatch b, finance_payableshare s
    WHERE b.id = NEW.batch_id AND s.id = NEW.share_id
      AND b.payer_level = s.payer_level
      AND b.payer_district_id IS NOT DISTINCT FROM s.payer_district_id
      AND NEW.payer_level = s.payer_level
      AND NEW.payer_district_id IS NOT DISTINCT FROM s.payer_district_id
  ) THEN
    RAISE EXCEPTION 'a payment batch holds only shares of its own payer'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER finance_batch_item_same_payer BEFORE INSERT OR UPDATE ON finance_paymentbatchitem
  FOR EACH ROW EXECUTE FUNCTION finance_batch_item_same_payer();
"""

PG_REVERSE = """
DROP TRIGGER IF EXISTS finance_batch_item_same_payer ON finance_paymentbatchitem;
DROP FUNCTION IF EXISTS finance_batch_item_same_payer();
DROP TRIGGER IF EXISTS finance_ledger_append_only ON finance_ledgerentry;
DROP FUNCTION IF EXISTS finance_ledger_append_only();
"""

SQLITE_SAME_PAYER = """
CREATE TRIGGER finance_batch_item_same_payer_{event} BEFORE {event} ON finance_paymentbatchitem
WHEN NOT EXISTS (
  SELECT 1 FROM finance_paymentbatch b, finance_payableshare s
  WHERE b.id = NEW.batch_id AND s.id = NEW.share_id
    AND b.payer_level = s.payer_level AND b.payer_district_id IS s.payer_district_id
    AND NEW.payer_level = s.payer_level AND NEW.payer_district_id IS s.payer_district_id
)
BEGIN SELECT RAISE(ABORT, 'a payment batch holds only shares of its own payer'); END;
"""

SQLITE_FORWARD = [
    "CREATE TRIGGER finance_ledger_no_update BEFORE UPDATE ON finance_ledgerentry "
    "BEGIN SELECT RAISE(ABORT, 'finance ledger is append-only'); END;",
    SQLITE_SAME_PAYER.format(event="INSERT"),
    SQLITE_SAME_PAYER.format(event="UPDATE"),
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS finance_ledger_no_update;",
    "DROP TRIGGER IF EXISTS finance_batch_item_same_payer_INSERT;",
    "DROP TRIGGER IF EXISTS finance_batch_item_same_payer_UPDATE;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
