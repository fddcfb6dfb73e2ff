-- A file's rows are committed in chunks while it is read. Its batch is INGESTING meanwhile (workers take no item of
-- it) and becomes OPEN in one update once the whole file is in. lease_until is renewed with every chunk: a batch left
-- INGESTING by a process that died is found by its expired lease and deleted, and the file is read again.
--
-- Batch names and item keys name folders and files, so they are unique ignoring case (no clash on a case-insensitive
-- file system or a bucket synced to one): the lower-case forms carry the unique indexes. The caller's id of a row is
-- unique the same way: the first take of a row holds it in id_folded (null on the other takes and on rows that could
-- not claim their id). The indexes, not the ingesting process, find duplicates, so a batch of any size needs no
-- memory for them.
alter table batch add column name_folded varchar(200);
update batch set name_folded = lower(name);
-- names written before this rule that differ only in case keep their folders; later ones get a folded form of their own
update batch set name_folded = lower(name) || '#' || id
    where exists (select 1 from batch b where b.name_folded = batch.name_folded and b.id < batch.id);
alter table batch alter column name_folded set not null;
alter table batch drop constraint batch_name_uq;
create unique index batch_name_folded_uq on batch (name_folded);

alter table item add column key_folded varchar(200);
update item set key_folded = lower(item_key);
alter table item alter column key_folded set not null;
alter table item add column id_folded varchar(200);
alter table item drop constraint item_key_uq;
create unique index item_key_folded_uq on item (batch_id, key_folded);
create unique index item_id_folded_uq on item (batch_id, id_folded);

-- A data: URL carries the whole first-frame image (hundreds of KB to a few MB); its length is bounded at ingest by
-- sora.input-reference.max-length. text is unbounded on both H2 and PostgreSQL.
alter table item alter column input_reference set data type text;

-- Item ids are drawn ten thousand at a time (a gap after a crash is harmless): H2 commits its sequence each time it
-- draws more, and by default that is every 32 rows inserted, which made up a quarter of the time of a large ingest.
alter table item alter column id set cache 10000;
