-- Operator actions (the batch API and the command line): cancel and retry.
-- A batch's manifest is written again when retried items end; each writing carries the batch's revision (1 first).
alter table batch add column revision int default 1 not null;
-- When the operator cancelled the batch (null: never).
alter table batch add column cancelled_at bigint;
-- Which attempt of the item this row is (1 first, one more with every retry); attempts keeps counting creates.
alter table item add column attempt int default 1 not null;
