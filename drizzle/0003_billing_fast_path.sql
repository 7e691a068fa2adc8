-- Raised from inside the Postgres fast-path INSERT when a staged FOCUS row breaks a rule;
-- the importer then re-reads the file to report every problem with its line and column.
CREATE OR REPLACE FUNCTION burnrate_focus_reject(row_number bigint, column_name text, cell text, reason text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('FOCUS row %s, column %s: %s', row_number, column_name, reason),
    DETAIL = left(coalesce(cell, 'NULL'), 200);
END
$$;
