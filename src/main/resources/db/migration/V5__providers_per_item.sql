-- Several providers per batch: each item names the provider it is sent to (rows written before this rule go to
-- their batch's), the opaque handle the adapter needs to reach its job again (fal's request URLs, say: large), and
-- the random key a provider that deduplicates creates is given, so a re-sent create never makes a second paid job
-- (set at ingest; null on older rows, which use their item key). audio, aspect_ratio and resolution are what the
-- catalogue settled for the row, next to its nominal size.
alter table item add column provider varchar(50);
update item set provider = (select b.provider from batch b where b.id = item.batch_id);
update item set provider = 'openai' where provider = 'simulator';
alter table item alter column provider set not null;
alter table item add column provider_job_handle text;
alter table item add column create_key varchar(64);
alter table item add column audio boolean;
alter table item add column aspect_ratio varchar(20);
alter table item add column resolution varchar(20);

-- create claims are per provider (each keeps its own limits): the claim walks this index per batch and provider
create index item_provider_due_idx on item (batch_id, provider, state, next_attempt_at, id);
-- in-flight counts per provider
create index item_provider_state_idx on item (provider, state);
