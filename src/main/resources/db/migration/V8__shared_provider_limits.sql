-- Provider limits shared by every instance on the store, per provider account (keyed by the provider's name, which
-- is how a run names its account). A create claim locks its account's row (select ... for update), reads what the
-- limits leave, claims that many items and records their grants in the same transaction, so no two instances
-- together pass the creates per sliding minute, the jobs in flight or the learned concurrency ceiling.
create table provider_account (
    provider       varchar(50)      not null primary key,
    -- no create before this (the provider's Retry-After), epoch millis
    paused_until   bigint           default 0 not null,
    -- creates that may still go back to back (the burst) as of allowance_at; null: the whole burst
    allowance      double precision,
    allowance_at   bigint,
    -- jobs at once the provider allows, as learned from its 429s; null: none learned (sora.max-in-flight)
    ceiling        int,
    -- whether the provider named that limit (probed upward after ten quiet minutes) or it was inferred (one)
    ceiling_named  boolean          default false not null,
    ceiling_set_at bigint
);

-- One row per create granted, kept for the sliding window (60 s + sora.rate.margin) and pruned by each claim.
create table create_grant (
    provider   varchar(50) not null,
    granted_at bigint      not null,
    item_id    bigint      not null
);
create index create_grant_window_idx on create_grant (provider, granted_at);
