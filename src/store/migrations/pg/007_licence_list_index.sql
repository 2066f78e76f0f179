-- 007_licence_list_index: an index that holds every column the licence
-- table shows, so that a page of it can be read by an index-only scan, in
-- number order.  sqlite/007_licence_list_index.sql is the same index for
-- SQLite.
--
-- The columns ride along with INCLUDE.  The search text stays out: with
-- the user's name and the configuration version beside it, an entry could
-- pass the largest a B-tree entry may be (about 2,700 bytes), and a
-- search reads licences_holder anyway.  See the SQLite file for why a
-- second copy of the row is worth its writes.

CREATE INDEX licences_list ON licences (holder_id, number) INCLUDE (code,
    owner_id, user_name, config_version, mdm_id, blocked, created_at,
    activated_at, last_contact_at);
