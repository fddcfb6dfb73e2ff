-- Claims read only the rows they take, however many are waiting. Each index leads with the columns a claim fixes
-- by equality and ends with its order, so the claim query can walk the index in order and stop at its limit
-- (H2 sorts by the index only when the ORDER BY names every leading column, so the claim queries repeat them).
--   submit: the due PENDING rows of one open batch, oldest due first (one probe per open batch, round-robin)
--   poll, reconcile, fetch: the due rows in one state
create index item_batch_due_idx on item (batch_id, state, next_attempt_at, id);
create index item_state_due_idx on item (state, next_attempt_at, id);
-- superseded by the two above (each of their prefixes serves the queries these served)
drop index item_due_idx;
drop index item_batch_state_idx;

-- A batch whose manifest cannot be written is retried with the short backoff of free calls, then ends
-- FINALIZE_FAILED with the reason instead of being retried forever.
alter table batch add column finalize_failures int default 0 not null;
alter table batch add column finalize_error varchar(4000);
