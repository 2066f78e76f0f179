-- 007_licence_list_index: an index that holds every column the licence
-- table shows, so that a page of it is read from the index alone, in
-- number order, without a look-up of the table row for each licence.
-- pg/007_licence_list_index.sql is the same index for PostgreSQL.
--
-- The licences' columns change seldom (issue, activation, a move, and a
-- device's last contact at most once per DEVICE_TOUCH_MS), while the
-- table is read a page at a time: the second copy of the row costs the
-- writes little and saves the reads a table look-up a row.
-- licences_holder stays for what reads numbers and ids only (the
-- services of a page, counts), whose entries it keeps small.

CREATE INDEX licences_list ON licences (holder_id, number, search, code,
    owner_id, user_name, config_version, mdm_id, blocked, created_at,
    activated_at, last_contact_at);
