-- Identity of an input object (s3://bucket/key#etag): the same object seen again (a re-delivered S3 event, a
-- restart before the object was moved) is recognised before it is read. Unique, so two instances reading the same
-- object at once make one batch: the second insert waits for the first and then fails.
alter table batch add column source_ref varchar(2100);
create unique index batch_source_ref_uq on batch (source_ref);
