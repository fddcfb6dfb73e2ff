-- Money: what each create is estimated to cost, reserved before the create is sent and released when it certainly
-- was not made, so that budgets hold across every instance sharing the store. The per-day budget counts by the UTC
-- day of the reservation. Reservations are made one at a time under the lock row below (select ... for update), so
-- two instances never both take the last dollar of a budget.
create table spend_ledger (
    item_id     bigint        not null primary key references item (id),
    batch_id    bigint        not null references batch (id),
    utc_day     varchar(10)   not null,
    usd         decimal(14,6) not null,
    reserved_at bigint        not null
);
create index spend_ledger_batch_idx on spend_ledger (batch_id);
create index spend_ledger_day_idx on spend_ledger (utc_day);

create table spend_lock (
    name varchar(20) not null primary key
);
insert into spend_lock (name) values ('budget');

-- Output QA: what the probe of each stored video found, and what it flagged against what was asked.
create table item_qa (
    item_id     bigint        not null primary key references item (id),
    duration_ms bigint,
    width       int           not null,
    height      int           not null,
    video_codec varchar(100),
    audio_codec varchar(100),
    flags       varchar(4000) not null  -- JSON array of {"code", "message"}; empty array when the clip passed
);
